import type { Repo } from '@gibbon/contracts';
import { loadWebhookExamples } from '@gibbon/test-kit';
import { startAppOn } from './backend-app';
import { backends } from './backends';
import { createBuildWorld, type BuildWorld } from './build-world';
import type { TestApp } from './harness';

/** A captured pull_request `opened` whose head, at `sha`, lives in a fork. */
function forkPullRequest(sha: string) {
  const [example] = loadWebhookExamples('pull_request', { action: 'opened' });
  if (!example) throw new Error('@octokit/webhooks-examples has no pull_request opened example.');
  const { payload } = example;
  const head = payload.pull_request.head;
  const forkRepo = { ...(head.repo ?? payload.repository), id: payload.repository.id + 1 };
  return {
    ...payload,
    pull_request: { ...payload.pull_request, head: { ...head, sha, repo: forkRepo } },
  };
}

// The repository setting `untrustedNetwork` (docs/adr/0004-script-sandbox.md): stored, returned,
// changed by org admins only, and handed to the runner in the claim; on SQLite and Postgres.
describe.each(backends)('untrusted builds network setting on $name', (backend) => {
  let app: TestApp;
  let world: BuildWorld;
  let adminToken: string;
  let readToken: string;
  beforeAll(async () => {
    app = await startAppOn(backend);
    world = await createBuildWorld(app);
    const tokens = app.services.tokens;
    adminToken = (await tokens.createOrgToken('acme', { name: 'ops', role: 'admin' })).secret;
    readToken = (await tokens.createOrgToken('acme', { name: 'ci', role: 'read' })).secret;
  });
  afterAll(() => app.close());

  const repoPath = '/v1/orgs/acme/repos/web';

  it('is off for a repository created without it', async () => {
    const repo = await app.call('GET', repoPath, { token: readToken });
    expect(repo).toMatchObject({ status: 200, body: { untrustedNetwork: false } });
  });

  it('is set at creation, changed by an org admin and read back', async () => {
    const created = await app.call('POST', '/v1/orgs/acme/repos', {
      token: adminToken,
      body: { name: 'docs', url: 'https://git.example.test/acme/docs.git', untrustedNetwork: true },
    });
    expect(created).toMatchObject({ status: 201, body: { untrustedNetwork: true } });
    const patched = await app.call('PATCH', '/v1/orgs/acme/repos/docs', {
      token: adminToken,
      body: { untrustedNetwork: false },
    });
    expect(patched).toMatchObject({ status: 200, body: { untrustedNetwork: false } });
    const again = await app.call('PATCH', '/v1/orgs/acme/repos/docs', {
      token: adminToken,
      body: { mainBranch: 'trunk' },
    });
    expect(again.body).toMatchObject({ untrustedNetwork: false, mainBranch: 'trunk' });
    const list = await app.call('GET', '/v1/orgs/acme/repos', { token: readToken });
    const docs = (list.body as { items: Repo[] }).items.find((repo) => repo.name === 'docs');
    expect(docs).toEqual(again.body);
  });

  it('a read token cannot turn it on', async () => {
    const refused = await app.call('PATCH', repoPath, {
      token: readToken,
      body: { untrustedNetwork: true },
    });
    expect(refused).toMatchObject({ status: 403, body: { error: { code: 'not_allowed' } } });
    const repo = await app.call('GET', repoPath, { token: readToken });
    expect(repo.body).toMatchObject({ untrustedNetwork: false });
  });

  it('refuses a value that is not a boolean', async () => {
    const refused = await app.call('PATCH', repoPath, {
      token: adminToken,
      body: { untrustedNetwork: 'yes' },
    });
    expect(refused).toMatchObject({ status: 400, body: { error: { code: 'invalid_input' } } });
  });

  it("reaches the runner in a fork build's claim, as the repository says at claim time", async () => {
    const runner = await world.registerRunner('r1');
    for (const [untrustedNetwork, sha] of [
      [false, 'a'.repeat(40)],
      [true, 'b'.repeat(40)],
    ] as const) {
      await app.call('PATCH', repoPath, { token: adminToken, body: { untrustedNetwork } });
      const payload = forkPullRequest(sha);
      const delivered = await world.deliver({ event: 'pull_request', payload });
      expect(delivered.status).toBe(200);
      const { claim } = await world.claim(runner);
      expect(claim?.build).toMatchObject({ source: 'pull_request', trusted: false });
      expect(claim?.repo.untrustedNetwork).toBe(untrustedNetwork);
      await world.runner(claim!, 'POST', '/result', { body: { status: 'success' } });
    }
  });
});

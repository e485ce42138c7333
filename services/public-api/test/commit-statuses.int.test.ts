import type { Build, Claim } from '@gibbon/contracts';
import {
  failFirst,
  loadWebhookExamples,
  startRecordingServer,
  type RecordingServer,
} from '@gibbon/test-kit';
import { startAppOn } from './backend-app';
import { backends } from './backends';
import { createBuildWorld, type BuildWorld } from './build-world';
import { eventually } from './eventually';
import type { TestApp } from './harness';

// Spec section 5: statuses go to the recording "GitHub" after each stored state, in order.
const maxAgeMs = 1_500;
describe.each(backends)('commit statuses on $name', (backend) => {
  let github: RecordingServer;
  let app: TestApp;
  let world: BuildWorld;
  beforeAll(async () => {
    github = await startRecordingServer();
    app = await startAppOn(backend, {
      services: {
        commitStatuses: {
          githubApiUrl: github.url,
          maxAgeMs: maxAgeMs,
          retry: { initialDelayMs: 20, maxDelayMs: 50 },
          pollMs: 50,
        },
      },
    });
    world = await createBuildWorld(app, {
      githubRepo: 'acme/web',
      githubToken: 'ghs_status_token',
    });
  });
  afterAll(async () => {
    await app.close();
    await github.close();
  });

  it('sends pending (queued), pending (running), then the result, for the pushed commit', async () => {
    const commit = '1'.repeat(40);
    github.route(`POST /repos/acme/web/statuses/${commit}`, failFirst(1));
    const [example] = loadWebhookExamples('push');
    const payload = {
      ...example!.payload,
      after: commit,
      deleted: false,
      repository: { ...example!.payload.repository, full_name: 'acme/web' },
    };
    const delivered = await world.deliver({ payload });
    const build = (delivered.body as { build: Build }).build;
    const runner = await world.registerRunner('r');
    const { claim } = (await world.claim(runner)) as { claim: Claim };
    await world.runner(claim, 'POST', '/result', { body: { status: 'failure' } });

    const forCommit = (r: { path: string }) => r.path === `/repos/acme/web/statuses/${commit}`;
    // 1 failed attempt (retried) + 3 statuses.
    const requests = await github.waitForRequests(4, { filter: forCommit, timeoutMs: 5000 });
    const delivered3 = requests.slice(1).map((r) => (r.body as { state: string }).state);
    expect(delivered3).toEqual(['pending', 'pending', 'failure']);
    expect(requests[0]?.body).toEqual(requests[1]?.body);
    for (const request of requests) {
      expect(request.headers.authorization).toMatch(/ghs_status_token/);
      expect(request.body).toMatchObject({
        context: 'gibbon',
        target_url: `http://gibbon.test/orgs/acme/repos/web/builds/${build.number}`,
      });
    }
  });

  it('gives a status up once it is older than maxAgeMs, logs it, and sends the next one', async () => {
    const commit = '3'.repeat(40);
    const path = `/repos/acme/web/statuses/${commit}`;
    github.route(`POST ${path}`, () => ({ status: 503, body: {} }));
    const build = await world.trigger({ commit });
    const givenUp = () =>
      app.logLines.filter(
        (line) => line.includes('Commit status not sent; given up.') && line.includes(commit),
      );
    await eventually(() => Promise.resolve(givenUp().length === 1), 10_000);
    expect(givenUp()[0]).toContain('GitHub answered 503; still failing after 2 s');
    const tries = github.requests.filter((r) => r.path === path);
    expect(tries.length).toBeGreaterThan(1);
    expect(await world.count('status_outbox')).toBe(0);

    github.route(`POST ${path}`, () => ({ status: 201, body: {} }));
    const canceled = await app.call(
      'POST',
      `/v1/orgs/acme/repos/web/builds/${build.number}/cancel`,
      {
        token: app.adminToken,
      },
    );
    expect(canceled.status).toBe(200);
    const [after] = await github.waitForRequests(1, {
      filter: (r) => r.path === path && (r.body as { state: string }).state === 'error',
    });
    expect(after?.body).toMatchObject({ state: 'error', description: 'The build was canceled.' });
  });

  it('sends nothing for a repository without a GitHub token', async () => {
    await app.services.repos.update('acme', 'web', { githubToken: null });
    const before = github.requests.length;
    await world.trigger({ commit: '2'.repeat(40) });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(github.requests.length).toBe(before);
    expect(await world.count('status_outbox')).toBe(0);
  });
});

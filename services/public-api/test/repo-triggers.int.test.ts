import type { Build, Repo, RepoTriggers } from '@gibbon/contracts';
import { loadWebhookExamples } from '@gibbon/test-kit';
import { startAppOn } from './backend-app';
import { backends } from './backends';
import { createBuildWorld, type BuildWorld } from './build-world';
import type { Answer, TestApp } from './harness';
import { nextSha, pushTo } from './push-payloads';

const [openedPullRequest] = loadWebhookExamples('pull_request', { action: 'opened' });

/** A captured pull_request `opened`, from a branch of the same repository into `baseBranch`. */
function pullRequestInto(baseBranch: string) {
  if (!openedPullRequest) throw new Error('No pull_request opened example.');
  const { payload } = openedPullRequest;
  const { head, base } = payload.pull_request;
  return {
    ...payload,
    pull_request: {
      ...payload.pull_request,
      head: { ...head, sha: nextSha(), repo: base.repo },
      base: { ...base, ref: baseBranch },
    },
  };
}

// Per-repository trigger rules (services/public-api/README.md, "Trigger rules") through the
// real endpoints with signed deliveries, on SQLite and on Postgres.
describe.each(backends)('repository trigger rules on $name', (backend) => {
  let app: TestApp;
  let world: BuildWorld;
  const repoPath = '/v1/orgs/acme/repos/web';
  beforeAll(async () => {
    app = await startAppOn(backend);
    world = await createBuildWorld(app);
  });
  afterAll(() => app.close());

  async function setTriggers(triggers: RepoTriggers): Promise<Repo> {
    const answer = await app.call('PATCH', repoPath, { token: app.adminToken, body: { triggers } });
    expect(answer.status).toBe(200);
    return answer.body as Repo;
  }

  async function deliveryRecord(id: string) {
    return app.database.db
      .selectFrom('deliveries')
      .select(['outcome', 'reason', 'build_id'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  }

  /** Delivers, expects it ignored with `reason` and no build, and checks the record says so. */
  async function expectIgnored(answer: Promise<Answer>, reason: string): Promise<void> {
    const builds = await world.count('builds');
    const { status, body } = await answer;
    expect({ status, body }).toMatchObject({ status: 202, body: { ignored: true, reason } });
    expect(await world.count('builds')).toBe(builds);
    const record = await deliveryRecord((body as { delivery: string }).delivery);
    expect(record).toEqual({ outcome: 'ignored', reason, build_id: null });
  }

  async function expectBuilt(answer: Promise<Answer>): Promise<Build> {
    const { status, body } = await answer;
    expect({ status, body }).toMatchObject({ status: 200, body: { build: { status: 'queued' } } });
    const { delivery, build } = body as { delivery: string; build: Build };
    expect(await deliveryRecord(delivery)).toMatchObject({ outcome: 'build', reason: null });
    return build;
  }

  it('a repository has no rules until given some, and builds every push', async () => {
    const repo = await app.call('GET', repoPath, { token: app.adminToken });
    expect(repo.body).toMatchObject({ triggers: {} });
    await expectBuilt(world.deliver({ payload: pushTo('feature/x', ['a.txt']) }));
  });

  it('branches: a push to a branch outside them is ignored, naming the rule; main builds', async () => {
    const repo = await setTriggers({ branches: ['main', 'release/*'] });
    expect(repo.triggers).toEqual({ branches: ['main', 'release/*'] });
    await expectIgnored(
      world.deliver({ payload: pushTo('feature/x', ['src/a.ts']) }),
      'branch "feature/x" matches none of triggers.branches ["main","release/*"]',
    );
    const build = await expectBuilt(world.deliver({ payload: pushTo('main', ['src/a.ts']) }));
    expect(build.git.branch).toBe('main');
    await expectBuilt(world.deliver({ payload: pushTo('release/2.0', ['src/a.ts']) }));
  });

  it('branches: a pull request into a base branch outside them is ignored', async () => {
    await expectIgnored(
      world.deliver({ event: 'pull_request', payload: pullRequestInto('dev') }),
      'pull request base branch "dev" matches none of triggers.branches ["main","release/*"]',
    );
    const build = await expectBuilt(
      world.deliver({ event: 'pull_request', payload: pullRequestInto('main') }),
    );
    expect(build.source).toBe('pull_request');
  });

  it('a push whose head commit message says [skip ci] is ignored', async () => {
    await expectIgnored(
      world.deliver({ payload: pushTo('main', ['src/a.ts'], 'Tidy up\n\n[Skip CI]') }),
      'head commit message contains [skip ci]',
    );
  });

  it('paths: a push touching only files outside them is ignored; one touching src builds', async () => {
    await setTriggers({ paths: ['src/**'] });
    await expectIgnored(
      world.deliver({ payload: pushTo('main', ['docs/a.md']) }),
      'no changed file ("docs/a.md") matches triggers.paths ["src/**"]',
    );
    await expectBuilt(world.deliver({ payload: pushTo('main', ['docs/a.md', 'src/a.ts']) }));
  });

  it('paths: a push whose changed files the payload does not list builds (fail open)', async () => {
    const newBranch = { ...pushTo('topic', []), created: true, commits: [] };
    await expectBuilt(world.deliver({ payload: newBranch }));
    const forced = { ...pushTo('main', ['docs/a.md']), forced: true };
    await expectBuilt(world.deliver({ payload: forced }));
  });

  it('pathsIgnore: ignored only when every changed file matches', async () => {
    await setTriggers({ pathsIgnore: ['docs/**', '*.md'] });
    await expectIgnored(
      world.deliver({ payload: pushTo('main', ['docs/a.md', 'README.md']) }),
      'every changed file ("docs/a.md", "README.md") matches triggers.pathsIgnore ["docs/**","*.md"]',
    );
    await expectBuilt(world.deliver({ payload: pushTo('main', ['docs/a.md', 'src/a.ts']) }));
  });

  it('rules changed through the API apply to the next delivery', async () => {
    await setTriggers({ events: ['pull_request'] });
    await expectIgnored(
      world.deliver({ payload: pushTo('main', ['src/a.ts']) }),
      'event kind "push" is not in triggers.events ["pull_request"]',
    );
    const cleared = await setTriggers({});
    expect(cleared.triggers).toEqual({});
    await expectBuilt(world.deliver({ payload: pushTo('feature/x', ['docs/a.md']) }));
  });

  it('a manual trigger is refused when events leaves out manual, and obeys no other rule', async () => {
    await setTriggers({ events: ['push', 'pull_request'] });
    const refused = await app.call('POST', `${repoPath}/builds`, {
      token: app.adminToken,
      body: { branch: 'main' },
    });
    expect(refused).toMatchObject({
      status: 409,
      body: {
        error: {
          code: 'conflict',
          message:
            'acme/web refuses manual builds: event kind "manual" is not in triggers.events ["push","pull_request"]. Add "manual" to its triggers.events (or remove the list) to build it by hand.',
        },
      },
    });
    await setTriggers({ events: ['manual'], branches: ['main'] });
    const built = await world.trigger({ branch: 'feature/x' });
    expect(built).toMatchObject({ source: 'api', git: { branch: 'feature/x' } });
  });

  it('rules are set at creation and kept by a PATCH of other fields', async () => {
    const triggers = { tags: ['v*'], events: ['tag', 'manual'] } satisfies RepoTriggers;
    const created = await app.call('POST', '/v1/orgs/acme/repos', {
      token: app.adminToken,
      body: { name: 'site', url: 'https://git.example.test/acme/site.git', triggers },
    });
    expect(created).toMatchObject({ status: 201, body: { triggers } });
    const patched = await app.call('PATCH', '/v1/orgs/acme/repos/site', {
      token: app.adminToken,
      body: { mainBranch: 'trunk' },
    });
    expect(patched.body).toMatchObject({ mainBranch: 'trunk', triggers });
  });

  it.each([
    ['an empty glob', { branches: ['main', ''] }, 'triggers/branches/1'],
    ['a glob that is not a string', { paths: [7] }, 'triggers/paths/0'],
    ['an empty list', { tags: [] }, 'triggers/tags'],
    ['an unknown event kind', { events: ['cron'] }, 'triggers/events/0'],
    ['an unknown rule', { branch: ['main'] }, 'branch'],
  ])('refuses %s with 400 naming the field', async (_case, triggers, field) => {
    const before = await app.call('GET', repoPath, { token: app.adminToken });
    const refused = await app.call('PATCH', repoPath, {
      token: app.adminToken,
      body: { triggers },
    });
    expect(refused).toMatchObject({ status: 400, body: { error: { code: 'invalid_input' } } });
    expect((refused.body as { error: { message: string } }).error.message).toContain(field);
    const after = await app.call('GET', repoPath, { token: app.adminToken });
    expect(after.body).toEqual(before.body);
  });
});

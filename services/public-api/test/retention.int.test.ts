import type { Claim } from '@gibbon/contracts';
import { RetentionRepository, RetentionSweeper } from '../src/retention';
import { startAppOn } from './backend-app';
import { backends } from './backends';
import { createBuildWorld, type BuildWorld } from './build-world';
import type { TestApp } from './harness';

const dayMs = 24 * 60 * 60 * 1000;

// Retention policies and their sweeper, on SQLite and on Postgres (README "Retention").
describe.each(backends)('retention on $name', (backend) => {
  let app: TestApp;
  let world: BuildWorld;
  let runner: string;
  beforeAll(async () => {
    app = await startAppOn(backend);
    world = await createBuildWorld(app);
    runner = await world.registerRunner('r');
  });
  afterAll(() => app.close());

  const admin = () => ({ token: app.adminToken });
  const policy = (body: unknown) =>
    app.call('PUT', '/v1/orgs/acme/retention', { ...admin(), body });
  const sweeper = () =>
    new RetentionSweeper(
      new RetentionRepository(app.database.db),
      app.blobStore,
      {
        log: () => undefined,
      },
      60_000,
    );
  const inDays = (days: number) => new Date(Date.now() + days * dayMs);
  const buildPath = (claim: Claim) => `/v1/orgs/acme/repos/web/builds/${claim.build.number}`;

  /** A build with a log chunk of job `test` and an artifact `dist`; finished unless `running`. */
  async function buildWithOutput(running = false): Promise<Claim> {
    const claim = await world.claimWithJob(runner, 'test');
    await world.runner(claim, 'PUT', '/jobs/test/logs/0', {
      rawBody: 'hello\n',
      headers: { 'content-type': 'text/plain' },
    });
    await app.blobStore.put(`artifacts/acme/web/${claim.build.number}/dist.tar.gz`, 'tgz');
    if (!running) await world.runner(claim, 'POST', '/result', { body: { status: 'success' } });
    return claim;
  }

  async function keys(prefix: string): Promise<string[]> {
    const found: string[] = [];
    for await (const info of app.blobStore.list(prefix)) found.push(info.key);
    return found;
  }

  afterEach(() => policy({}));

  it('keeps everything by default, and a policy is validated, stored and audited', async () => {
    const empty = {
      builds: { days: null, keepLast: null },
      logs: { days: null },
      artifacts: { days: null },
    };
    expect(await app.call('GET', '/v1/orgs/acme/retention', admin())).toMatchObject({
      status: 200,
      body: empty,
    });
    const zero = await policy({ logs: { days: 0 } });
    expect(zero.status).toBe(400);
    expect(zero.text).toContain('logs/days');
    expect((await policy({ builds: { keepLast: 1.5 } })).status).toBe(400);
    expect((await policy({ caches: { days: 1 } })).status).toBe(400);
    const set = await policy({ logs: { days: 30 }, builds: { keepLast: 50 } });
    expect(set).toMatchObject({
      status: 200,
      body: { ...empty, logs: { days: 30 }, builds: { days: null, keepLast: 50 } },
    });
    const read = await app.call('GET', '/v1/orgs/acme/retention', admin());
    expect(read.body).toEqual(set.body);
    expect((await app.call('GET', '/v1/orgs/nope/retention', admin())).status).toBe(404);
    const audit = await app.call('GET', '/v1/orgs/acme/audit?limit=5', admin());
    const actions = (audit.body as { items: { action: string }[] }).items.map((i) => i.action);
    expect(actions).toContain('retention.updated');
  });

  it('two sweepers at once expire an old log and artifact once: gone from storage and rows, 410 with the reason', async () => {
    const old = await buildWithOutput();
    const running = await buildWithOutput(true);
    await policy({ logs: { days: 7 }, artifacts: { days: 7 } });
    const logsBefore = await world.count('log_chunks');
    expect(await keys(`logs/acme/web/${old.build.number}/`)).toHaveLength(1);

    const when = inDays(8);
    const counts = await Promise.all([sweeper().sweep(when), sweeper().sweep(when)]);
    expect(counts.reduce((sum, each) => sum + each.logs, 0)).toBe(1);
    expect(counts.reduce((sum, each) => sum + each.artifacts, 0)).toBe(1);
    expect(counts.reduce((sum, each) => sum + each.builds, 0)).toBe(0);

    expect(await keys(`logs/acme/web/${old.build.number}/`)).toEqual([]);
    expect(await keys(`artifacts/acme/web/${old.build.number}/`)).toEqual([]);
    expect(await world.count('log_chunks')).toBe(logsBefore - 1);
    const log = await app.call('GET', `${buildPath(old)}/jobs/test/logs`, admin());
    expect(log.status).toBe(410);
    expect(log.body).toMatchObject({ error: { code: 'gone' } });
    expect(log.text).toMatch(/The log of job \\"test\\" of build #\d+ expired on \d{4}-\d\d-\d\d/);
    expect(log.text).toContain("under the org's retention policy of 7 days");
    const artifact = await app.call('GET', `${buildPath(old)}/artifacts/dist`, admin());
    expect(artifact.status).toBe(410);
    expect(artifact.text).toContain('policy of 7 days (artifacts.days)');
    expect((await app.call('GET', buildPath(old), admin())).status).toBe(200);

    // The running build keeps everything, whatever its age.
    expect(await keys(`logs/acme/web/${running.build.number}/`)).toHaveLength(1);
    expect(await keys(`artifacts/acme/web/${running.build.number}/`)).toHaveLength(1);
    const live = await app.call('GET', `${buildPath(running)}/jobs/test/logs`, admin());
    expect(live).toMatchObject({ status: 200, text: 'hello\n' });
    await world.runner(running, 'POST', '/result', { body: { status: 'success' } });
  });

  it('builds.keepLast and builds.days delete finished builds with everything stored for them', async () => {
    const older = await buildWithOutput();
    const newer = await buildWithOutput();
    const running = await buildWithOutput(true);
    await policy({ builds: { keepLast: 1 } });
    const kept = await sweeper().sweep();
    expect(kept.builds).toBeGreaterThanOrEqual(1);
    expect((await app.call('GET', buildPath(older), admin())).status).toBe(404);
    expect(await keys(`logs/acme/web/${older.build.number}/`)).toEqual([]);
    expect(await keys(`artifacts/acme/web/${older.build.number}/`)).toEqual([]);
    expect((await app.call('GET', buildPath(newer), admin())).status).toBe(200);
    expect((await app.call('GET', buildPath(running), admin())).status).toBe(200);

    await policy({ builds: { days: 3 } });
    expect((await sweeper().sweep(inDays(2))).builds).toBe(0);
    expect((await sweeper().sweep(inDays(4))).builds).toBe(1);
    expect((await app.call('GET', buildPath(newer), admin())).status).toBe(404);
    expect(await keys(`artifacts/acme/web/${newer.build.number}/`)).toEqual([]);
    expect((await app.call('GET', buildPath(running), admin())).status).toBe(200);
    expect(await keys(`artifacts/acme/web/${running.build.number}/`)).toHaveLength(1);
    await world.runner(running, 'POST', '/result', { body: { status: 'success' } });
  });
});

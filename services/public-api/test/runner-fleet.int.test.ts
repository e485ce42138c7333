import type { Build, RunnerList } from '@gibbon/contracts';
import { startAppOn } from './backend-app';
import { backends } from './backends';
import { createBuildWorld, type BuildWorld } from './build-world';
import type { TestApp } from './harness';

// Runners as a fleet (spec section 6): the platform they report and draining, on SQLite and
// on Postgres.
describe.each(backends)('runners on $name', (backend) => {
  let app: TestApp;
  let world: BuildWorld;
  beforeAll(async () => {
    app = await startAppOn(backend);
    world = await createBuildWorld(app);
    await app.services.signingKeys.ring('build');
  });
  afterAll(() => app.close());

  const claimFrom = (token: string, platform: { os: string; arch: string }) =>
    app.call('POST', '/v1/runner/claim?wait=0', { token, body: { platform } });

  async function listed(id: string) {
    const list = await app.call('GET', '/v1/runners', { token: app.adminToken });
    return (list.body as RunnerList).items.find((runner) => runner.id === id);
  }

  it('records the platform a runner claims from and refuses one its os/arch labels deny', async () => {
    const arm = await app.services.runners.register({
      name: 'arm',
      labels: [{ name: 'arch', value: 'arm64' }],
    });
    expect((await listed(arm.id))?.platform).toBeNull();
    const wrong = await claimFrom(arm.token, { os: 'linux', arch: 'x64' });
    expect(wrong.status).toBe(409);
    expect(JSON.stringify(wrong.body)).toContain(
      'registered with the label arch=arm64 but claims from arch x64',
    );
    expect((await claimFrom(arm.token, { os: 'linux', arch: 'arm64' })).status).toBe(204);
    expect((await listed(arm.id))?.platform).toEqual({ os: 'linux', arch: 'arm64' });
  });

  it('a repository pinned with runs-on=VALUE reaches a runner whose os or arch label is VALUE', async () => {
    const queued = await world.triggerInNewRepo('arm-only', [{ name: 'runs-on', value: 'arm64' }]);
    const x64 = await app.services.runners.register({
      name: 'x64',
      labels: [{ name: 'arch', value: 'x64' }],
    });
    expect((await claimFrom(x64.token, { os: 'linux', arch: 'x64' })).status).toBe(204);
    const arm = await app.services.runners.register({
      name: 'arm-2',
      labels: [{ name: 'arch', value: 'arm64' }],
    });
    const claimed = await claimFrom(arm.token, { os: 'linux', arch: 'arm64' });
    expect(claimed.status).toBe(200);
    expect((claimed.body as { build: Build }).build.id).toBe(queued.id);
  });

  it('a runner drained through the API finishes its running build and is handed no new one', async () => {
    const runner = await app.services.runners.register({ name: 'drained' });
    await world.trigger();
    const { claim: running } = await world.claim(runner.token);
    expect(running).toBeDefined();
    const waiting = world.claim(runner.token, 2);
    await new Promise((resolve) => setTimeout(resolve, 200));

    const drained = await app.call('POST', `/v1/runners/${runner.id}/drain`, {
      token: app.adminToken,
    });
    expect(drained.status).toBe(200);
    expect(drained.body).toMatchObject({ id: runner.id, draining: true, runningBuilds: 1 });
    const queued = await world.trigger();
    expect((await waiting).status).toBe(204);
    expect((await world.claim(runner.token)).status).toBe(204);
    expect((await world.getBuild(queued.number)).status).toBe('queued');

    expect((await world.runner(running!, 'POST', '/heartbeat')).status).toBe(200);
    const result = await world.runner(running!, 'POST', '/result', { body: { status: 'success' } });
    expect(result.status).toBe(200);
    expect((await listed(runner.id))?.draining).toBe(true);
    const audit = await app.call('GET', '/v1/audit?limit=5', { token: app.adminToken });
    expect(JSON.stringify(audit.body)).toContain('"runner.drained"');
    const missing = await app.call('POST', '/v1/runners/run_nope/drain', { token: app.adminToken });
    expect(missing.status).toBe(404);
    await app.call('POST', `/v1/orgs/acme/repos/web/builds/${queued.number}/cancel`, {
      token: app.adminToken,
    });
  });
});

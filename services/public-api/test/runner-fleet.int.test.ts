import type { Build, RunnerList } from '@gibbon/contracts';
import { startAppOn } from './backend-app';
import { backends } from './backends';
import { createBuildWorld, type BuildWorld } from './build-world';
import type { TestApp } from './harness';

// Runners as a fleet (spec section 6): the platform they report, on SQLite and on Postgres.
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
});

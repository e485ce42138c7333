import type { Build, Claim, RepoConcurrency } from '@gibbon/contracts';
import { startAppOn } from './backend-app';
import { backends } from './backends';
import { createBuildWorld, type BuildWorld } from './build-world';
import type { TestApp } from './harness';

// Concurrency groups (services/public-api/README.md, "Concurrency") through the real endpoints:
// queue and cancel-previous per branch, protected branches, and claims racing for one group.
describe.each(backends)('concurrency groups on $name', (backend) => {
  let app: TestApp;
  let world: BuildWorld;
  let runner: string;
  beforeAll(async () => {
    // No periodic re-check of the queue: a waiting claim learns of a freed group only by the
    // wake-up the group's finished build gives.
    app = await startAppOn(backend, { services: { dispatch: { recheckMs: 60_000 } } });
    world = await createBuildWorld(app);
    runner = await world.registerRunner('r1');
  });
  afterAll(() => app.close());

  async function setConcurrency(concurrency: RepoConcurrency): Promise<void> {
    const answer = await app.call('PATCH', '/v1/orgs/acme/repos/web', {
      token: app.adminToken,
      body: { concurrency },
    });
    expect(answer.status).toBe(200);
    expect((answer.body as { concurrency: RepoConcurrency }).concurrency).toEqual(concurrency);
  }

  async function claimed(): Promise<Claim | undefined> {
    return (await world.claim(runner)).claim;
  }

  async function finish(claim: Claim, status = 'success'): Promise<void> {
    const answer = await world.runner(claim, 'POST', '/result', { body: { status } });
    expect(answer.status).toBeLessThan(300);
  }

  /** Ends every build left over by a test, so the next starts from an empty queue. */
  async function drain(): Promise<void> {
    for (let claim = await claimed(); claim; claim = await claimed()) await finish(claim);
  }
  afterEach(drain);

  it('refuses an unknown mode and an empty protected branch list, naming the field', async () => {
    for (const concurrency of [{ mode: 'serial' }, { protectedBranches: [] }]) {
      const answer = await app.call('PATCH', '/v1/orgs/acme/repos/web', {
        token: app.adminToken,
        body: { concurrency },
      });
      expect(answer.status).toBe(400);
      expect(answer.text).toMatch(/concurrency/);
    }
  });

  it('parallel (the default): builds of one branch run at once', async () => {
    await setConcurrency({});
    await world.trigger({ branch: 'main' });
    await world.trigger({ branch: 'main' });
    const [first, second] = [await claimed(), await claimed()];
    expect(first && second).toBeTruthy();
  });

  it('queue: one build per branch runs; the next waits for it, other branches do not', async () => {
    await setConcurrency({ mode: 'queue' });
    const older = await world.trigger({ branch: 'main' });
    const newer = await world.trigger({ branch: 'main' });
    const other = await world.trigger({ branch: 'dev' });
    const first = await claimed();
    expect(first?.build.id).toBe(older.id);
    const next = await claimed();
    expect(next?.build.id).toBe(other.id); // main's second waits; dev's goes past it
    expect(await claimed()).toBeUndefined();
    expect((await world.getBuild(newer.number)).status).toBe('queued');
    const waiting = world.claim(runner, 30);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await finish(first!);
    // Woken by the finish, not answered at the end of its 30 s wait.
    const unwoken = new Promise<'not woken'>((resolve) => setTimeout(resolve, 10_000, 'not woken'));
    const answer = await Promise.race([waiting, unwoken]);
    expect(answer === 'not woken' ? answer : answer.claim?.build.id).toBe(newer.id);
  });

  it('claims racing for two builds of one branch: only one runs', async () => {
    await setConcurrency({ mode: 'queue' });
    await world.trigger({ branch: 'race' });
    await world.trigger({ branch: 'race' });
    const answers = await Promise.all(Array.from({ length: 6 }, () => world.claim(runner)));
    expect(answers.filter((answer) => answer.claim).length).toBe(1);
  });

  it('cancel-previous: a new build cancels the queued one at once and asks the running one to stop', async () => {
    await setConcurrency({ mode: 'cancel-previous' });
    const running = await world.trigger({ branch: 'feature/x' });
    const claim = await claimed();
    expect(claim?.build.id).toBe(running.id);
    const queued = await world.trigger({ branch: 'feature/x' });
    const newest = await world.trigger({ branch: 'feature/x' });
    expect(await world.getBuild(queued.number)).toMatchObject({
      status: 'canceled',
      message: `Canceled before a runner took it: superseded by build #${newest.number}.`,
    });
    expect((await world.runner(claim!, 'POST', '/heartbeat')).body).toMatchObject({
      cancel: true,
    });
    // The newest waits until the superseded build's runner has stopped it.
    expect(await claimed()).toBeUndefined();
    await finish(claim!, 'canceled');
    expect((await world.getBuild(running.number)).status).toBe('canceled');
    expect((await claimed())?.build.id).toBe(newest.id);
  });

  it('cancel-previous spares protected branches: their builds queue instead', async () => {
    await setConcurrency({ mode: 'cancel-previous', protectedBranches: ['main', 'release/*'] });
    const first: Build = await world.trigger({ branch: 'release/2.0' });
    const second = await world.trigger({ branch: 'release/2.0' });
    expect((await world.getBuild(first.number)).status).toBe('queued');
    const claim = await claimed();
    expect(claim?.build.id).toBe(first.id);
    expect(await claimed()).toBeUndefined();
    await finish(claim!);
    expect((await claimed())?.build.id).toBe(second.id);
  });

  it('tag builds are in no group and never wait', async () => {
    await setConcurrency({ mode: 'queue' });
    await world.trigger({ tag: 'v1' });
    await world.trigger({ tag: 'v1' });
    expect((await claimed()) && (await claimed())).toBeTruthy();
  });
});

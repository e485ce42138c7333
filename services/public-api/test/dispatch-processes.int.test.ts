import { backends } from './backends';
import { createBuildWorld, type BuildWorld } from './build-world';
import type { TestApp } from './harness';
import { startTwoInstances, type TwoInstances } from './two-instances';

const postgres = backends.filter((backend) => backend.name === 'postgres');
const recheckMs = 500;

/** Two instances on one Postgres database (`startTwoInstances`), as two processes would be. */
describe.each(postgres)('dispatch across two public-api instances on $name', (backend) => {
  let instances: TwoInstances;
  let first: TestApp;
  let second: TestApp;
  let world: BuildWorld;
  let runnerOnFirst: string;
  let runnerOnSecond: string;
  beforeAll(async () => {
    const services = { dispatch: { recheckMs, leaseMs: 30_000 } };
    instances = await startTwoInstances(backend, { first: services, second: services });
    ({ first, second } = instances);
    world = await createBuildWorld(first);
    // Both instances share the database, so a runner registered once works on both.
    runnerOnFirst = await world.registerRunner('one');
    runnerOnSecond = await world.registerRunner('two');
  });
  afterAll(async () => {
    await instances?.close();
  });

  it('concurrent claims on both instances hand out each build once', async () => {
    const queued = await Promise.all(Array.from({ length: 6 }, () => world.trigger()));
    const claims = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        second.call('POST', '/v1/runner/claim?wait=0', {
          token: i % 2 === 0 ? runnerOnFirst : runnerOnSecond,
          body: {},
        }),
      ).concat(
        Array.from({ length: 12 }, () =>
          first.call('POST', '/v1/runner/claim?wait=0', { token: runnerOnFirst, body: {} }),
        ),
      ),
    );
    const won = claims.flatMap((c) =>
      c.status === 200 ? [(c.body as { build: { id: string } }).build.id] : [],
    );
    expect(won.sort()).toEqual(queued.map((b) => b.id).sort());
  });

  it('a claim waiting on one instance gets a build queued through the other', async () => {
    const waiting = second.call('POST', '/v1/runner/claim?wait=10', {
      token: runnerOnSecond,
      body: {},
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const build = await world.trigger();
    const started = Date.now();
    const answer = await waiting;
    expect(answer.status).toBe(200);
    expect((answer.body as { build: { id: string } }).build.id).toBe(build.id);
    expect(Date.now() - started).toBeLessThan(recheckMs * 4);
  });
});

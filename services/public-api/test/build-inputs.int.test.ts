import type { Build } from '@gibbon/contracts';
import { startAppOn } from './backend-app';
import { backends } from './backends';
import { createBuildWorld, type BuildWorld } from './build-world';
import type { TestApp } from './harness';

// `POST .../builds` with `inputs` (packages/sdk/README.md, "Inputs"): stored with the build,
// shown on it, handed to the runner at claim and kept by a retry; on SQLite and on Postgres.
describe.each(backends)('the inputs of a manual build on $name', (backend) => {
  let app: TestApp;
  let world: BuildWorld;
  const buildsPath = '/v1/orgs/acme/repos/web/builds';
  beforeAll(async () => {
    app = await startAppOn(backend);
    world = await createBuildWorld(app);
  });
  afterAll(() => app.close());

  it('keeps them on the build, gives them to the runner and to a retry', async () => {
    const inputs = { target: 'staging', replicas: 3, dryRun: true };
    const build = await world.trigger({ branch: 'main', inputs });
    expect(build.inputs).toEqual(inputs);
    const runner = await world.registerRunner('inputs');
    const { claim } = await world.claim(runner);
    expect(claim?.build).toMatchObject({ number: build.number, inputs });
    if (!claim) throw new Error('no claim');
    await world.runner(claim, 'POST', '/result', { body: { status: 'failure' } });
    const retried = await app.call('POST', `${buildsPath}/${build.number}/retry`, {
      token: app.adminToken,
    });
    expect(retried.status).toBe(201);
    expect((retried.body as Build).inputs).toEqual(inputs);
  });

  it('shows no inputs on a build given none', async () => {
    const build = await world.trigger({ branch: 'main', inputs: {} });
    expect(build).not.toHaveProperty('inputs');
    const shown = await app.call('GET', `${buildsPath}/${build.number}`, { token: app.adminToken });
    expect(shown.body).not.toHaveProperty('inputs');
  });

  it('refuses a name that is not an input name and a value longer than 1000 characters', async () => {
    for (const inputs of [{ 'bad-name': 'x' }, { note: 'x'.repeat(1001) }, { list: [1] }]) {
      const answer = await app.call('POST', buildsPath, {
        token: app.adminToken,
        body: { branch: 'main', inputs },
      });
      expect({ inputs, status: answer.status }).toEqual({ inputs, status: 400 });
    }
  });
});

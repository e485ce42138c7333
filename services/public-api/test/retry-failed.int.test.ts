import type { Build, Claim } from '@gibbon/contracts';
import { startAppOn } from './backend-app';
import { backends } from './backends';
import { createBuildWorld, nowIso, type BuildWorld } from './build-world';
import type { TestApp } from './harness';

// retry?failed=true makes a new build of the same commit that reuses the jobs which
// succeeded: it names them (reusedJobs) in the build and in its runner's claim; the outputs
// of jobs are stored and shown. SQLite and Postgres.
describe.each(backends)('retry of failed jobs only on $name', (backend) => {
  let app: TestApp;
  let world: BuildWorld;
  let runner: string;
  beforeAll(async () => {
    app = await startAppOn(backend);
    world = await createBuildWorld(app);
    runner = await world.registerRunner('retry-1');
  });
  afterAll(() => app.close());

  const retry = (number: number, query = '?failed=true') =>
    app.call('POST', `/v1/orgs/acme/repos/web/builds/${number}/retry${query}`, {
      token: app.adminToken,
    });

  /** A build whose jobs end as given, finished with `status`. */
  async function finishedBuild(
    jobs: Record<string, 'success' | 'failure' | 'skipped'>,
    status: 'success' | 'failure',
  ) {
    const build = await world.trigger();
    const claim = (await world.claim(runner)).claim!;
    const post = (body: Record<string, unknown>) =>
      world.runner(claim, 'POST', '/events', { body: { at: nowIso(), ...body } });
    for (const [jobId, ended] of Object.entries(jobs)) {
      await post({ type: 'job.pending', jobId, kind: 'container', dependsOn: [] });
      await post({
        type: 'job.ended',
        jobId,
        status: ended,
        attempts: ended === 'skipped' ? 0 : 1,
        ...(ended === 'success' ? { outputs: { from: jobId } } : {}),
      });
    }
    await world.runner(claim, 'POST', '/result', { body: { status } });
    return build;
  }

  it('reuses the jobs that succeeded, in the build and in the claim of its runner', async () => {
    const failed = await finishedBuild(
      { lint: 'success', test: 'failure', deploy: 'skipped' },
      'failure',
    );
    const answer = await retry(failed.number);
    expect(answer.status).toBe(201);
    const again = answer.body as Build;
    expect(again).toMatchObject({ retryOf: failed.number, reusedJobs: ['lint'], status: 'queued' });
    const claim = (await world.claim(runner)).claim as Claim;
    expect(claim.build).toMatchObject({
      number: again.number,
      retryOf: failed.number,
      reusedJobs: ['lint'],
    });
    // What the reused job set there, for the jobs after it.
    expect(claim.reusedOutputs).toEqual({ lint: { from: 'lint' } });
    await world.runner(claim, 'POST', '/result', { body: { status: 'success' } });
    // A plain retry reuses nothing.
    const plain = (await retry(failed.number, '')).body as Build;
    expect(plain.reusedJobs).toBeUndefined();
    const plainClaim = (await world.claim(runner)).claim as Claim;
    await world.runner(plainClaim, 'POST', '/result', { body: { status: 'success' } });
  });

  it('a re-run of a re-run reads artifacts back through every build its reused jobs ran in', async () => {
    const first = await finishedBuild({ lint: 'success', test: 'failure' }, 'failure');
    const put = (number: number, id: string, byte: number) =>
      app.blobStore.put(
        `artifacts/acme/web/${number}/${id}.tar.gz`,
        Buffer.from([0x1f, 0x8b, byte]),
      );
    await put(first.number, 'lint-report', 1);
    await put(first.number, 'test-report', 2);
    const second = (await retry(first.number)).body as Build;
    const secondClaim = (await world.claim(runner)).claim as Claim;
    expect(secondClaim.reusedFrom).toEqual([first.number]);
    const post = (body: Record<string, unknown>) =>
      world.runner(secondClaim, 'POST', '/events', { body: { at: nowIso(), ...body } });
    for (const [jobId, status] of [
      ['lint', 'success'],
      ['test', 'success'],
      ['deploy', 'failure'],
    ]) {
      await post({ type: 'job.pending', jobId, kind: 'container', dependsOn: [] });
      await post({ type: 'job.ended', jobId, status, attempts: 1 });
    }
    // The re-run's test job saved its own report again.
    await put(second.number, 'test-report', 3);
    await world.runner(secondClaim, 'POST', '/result', { body: { status: 'failure' } });
    const third = (await retry(second.number)).body as Build;
    expect(third.reusedJobs).toEqual(['lint', 'test']);
    const thirdClaim = (await world.claim(runner)).claim as Claim;
    // lint last ran in the first build: its artifacts are two builds back.
    expect(thirdClaim.reusedFrom).toEqual([second.number, first.number]);
    const base = `/v1/orgs/acme/repos/web/builds/${third.number}/artifacts`;
    const list = await app.call('GET', base, { token: app.adminToken });
    const items = (list.body as { items: { id: string; fromBuild?: number }[] }).items;
    expect(
      items
        .map(({ id, fromBuild }) => ({ id, fromBuild }))
        .sort((a, b) => a.id.localeCompare(b.id)),
    ).toEqual([
      { id: 'lint-report', fromBuild: first.number },
      { id: 'test-report', fromBuild: second.number },
    ]);
    const download = await fetch(`${app.baseUrl}${base}/lint-report`, {
      headers: { authorization: `Bearer ${app.adminToken}` },
    });
    expect(Buffer.from(await download.arrayBuffer())).toEqual(Buffer.from([0x1f, 0x8b, 1]));
    const missing = await app.call('GET', `${base}/nothing`, { token: app.adminToken });
    expect(missing.status).toBe(404);
    expect(missing.text).toContain(`Build #${third.number} has no artifact nothing.`);
    await world.runner(thirdClaim, 'POST', '/result', { body: { status: 'success' } });
  });

  it("stores a job's outputs from its job.ended and shows them with the job", async () => {
    const build = await world.trigger();
    const claim = (await world.claim(runner)).claim!;
    const post = (body: Record<string, unknown>) =>
      world.runner(claim, 'POST', '/events', { body: { at: nowIso(), ...body } });
    await post({ type: 'job.pending', jobId: 'build', kind: 'container', dependsOn: [] });
    const ended = await post({
      type: 'job.ended',
      jobId: 'build',
      status: 'success',
      attempts: 1,
      outputs: { version: '1.2.3', note: 'NUL \u0000 kept' },
    });
    expect(ended.status).toBe(204);
    const badName = await post({
      type: 'job.ended',
      jobId: 'build',
      status: 'success',
      attempts: 1,
      outputs: { 'not-a-name': 'x' },
    });
    expect(badName.status).toBe(400);
    const shown = (await world.getBuild(build.number)).jobs[0]!;
    expect(shown.outputs).toEqual({ version: '1.2.3', note: 'NUL \u0000 kept' });
    await world.runner(claim, 'POST', '/result', { body: { status: 'success' } });
  });

  it('refuses a build with nothing failed, or not finished', async () => {
    const passed = await finishedBuild({ lint: 'success' }, 'success');
    const all = await retry(passed.number);
    expect(all.status).toBe(409);
    expect(all.text).toContain('Every job of build');
    const running = await world.trigger();
    const claim = (await world.claim(runner)).claim!;
    expect((await retry(running.number)).status).toBe(409);
    await world.runner(claim, 'POST', '/result', { body: { status: 'success' } });
  });
});

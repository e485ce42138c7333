import type { Build, Claim, RunnerList } from '@gibbon/contracts';
import { startAppOn } from './backend-app';
import { backends } from './backends';
import { createBuildWorld, nowIso, type BuildWorld } from './build-world';
import { eventually } from './eventually';
import type { TestApp } from './harness';

const leaseMs = 2000;
/** Long, so that a claim answered within a second can only have been woken by the queue. */
const recheckMs = 10_000;

// Spec section 6 over HTTP, on SQLite and on Postgres, with a short lease.
describe.each(backends)('dispatch on $name', (backend) => {
  let app: TestApp;
  let world: BuildWorld;
  let runnerA: string;
  let runnerB: string;
  beforeAll(async () => {
    app = await startAppOn(backend, {
      services: { dispatch: { leaseMs, sweepMs: 100, recheckMs } },
    });
    world = await createBuildWorld(app);
    runnerA = await world.registerRunner('a');
    runnerB = await world.registerRunner('b');
    await app.services.signingKeys.ring('build');
  });
  afterAll(() => app.close());

  /** Claims whatever is queued until the queue is empty, so each test starts clean. */
  afterEach(async () => {
    const sweeper = await world.registerRunner('sweeper');
    for (
      let claimed = await world.claim(sweeper);
      claimed.claim;
      claimed = await world.claim(sweeper)
    ) {
      await world.runner(claimed.claim, 'POST', '/result', { body: { status: 'canceled' } });
    }
  });

  it('answers 204 when nothing is queued within the wait', async () => {
    expect((await world.claim(runnerA, 0)).status).toBe(204);
  });

  it('a waiting claim answers as soon as a build is queued', async () => {
    const waiting = world.claim(runnerA, 20);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const build = await world.trigger();
    const queuedAt = Date.now();
    const { claim } = await waiting;
    expect(Date.now() - queuedAt).toBeLessThan(recheckMs / 5);
    expect(claim?.build.id).toBe(build.id);
    expect(claim?.build.status).toBe('running');
    expect(claim?.repo).toMatchObject({ org: 'acme', name: 'web', cloneToken: null });
    await world.runner(claim!, 'POST', '/result', { body: { status: 'success' } });
  });

  it('two runners claiming concurrently never get the same build', async () => {
    const queued = await Promise.all([world.trigger(), world.trigger(), world.trigger()]);
    const claims = await Promise.all(
      // No wait: a claim that waited past the short lease could legitimately get a build back.
      Array.from({ length: 8 }, (_, i) => world.claim(i % 2 === 0 ? runnerA : runnerB, 0)),
    );
    const won = claims.flatMap((c) => (c.claim ? [c.claim.build.id] : []));
    expect(won.sort()).toEqual(queued.map((b) => b.id).sort());
    expect(claims.filter((c) => c.status === 204)).toHaveLength(5);
    for (const c of claims) {
      if (c.claim) await world.runner(c.claim, 'POST', '/result', { body: { status: 'success' } });
    }
  });

  it('events and the result update jobs and the build; the result is idempotent', async () => {
    const build = await world.trigger();
    const { claim } = await world.claim(runnerA);
    // The runners page shows what each runner runs now: its active leases.
    const runningOf = async () =>
      ((await app.call('GET', '/v1/runners', { token: app.adminToken })).body as RunnerList).items
        .map((runner) => runner.runningBuilds)
        .reduce((sum, count) => sum + count, 0);
    expect(await runningOf()).toBe(1);
    const post = (body: unknown) => world.runner(claim!, 'POST', '/events', { body });
    const commit = 'f'.repeat(40);
    const author = { name: 'Ann', email: 'ann@example.test' };
    expect(
      await post({
        type: 'build.started',
        git: { commit, message: 'm', author, changedFiles: ['a'] },
        at: nowIso(),
      }),
    ).toMatchObject({ status: 204 });
    expect(
      (await post({ type: 'job.started', jobId: 'ghost', attempt: 1, at: nowIso() })).status,
    ).toBe(422);
    await post({
      type: 'job.pending',
      jobId: 'test',
      kind: 'container',
      dependsOn: [],
      at: nowIso(),
    });
    await post({ type: 'job.started', jobId: 'test', attempt: 1, at: nowIso() });
    await post({
      type: 'job.ended',
      jobId: 'test',
      status: 'failure',
      attempts: 1,
      exitCode: 3,
      at: nowIso(),
    });
    await post({
      type: 'job.pending',
      jobId: 'deploy',
      kind: 'action',
      dependsOn: ['test'],
      at: nowIso(),
    });
    const result = await world.runner(claim!, 'POST', '/result', {
      body: { status: 'failure', message: 'test failed' },
    });
    expect(result).toMatchObject({
      status: 200,
      body: { status: 'failure', message: 'test failed' },
    });
    const stored = await world.getBuild(build.number);
    expect(stored.git).toMatchObject({ commit, author, changedFiles: ['a'] });
    expect(stored.jobs).toEqual([
      expect.objectContaining({ id: 'test', status: 'failure', exitCode: 3 }),
      expect.objectContaining({ id: 'deploy', status: 'skipped', dependsOn: ['test'] }),
    ]);
    expect(await runningOf()).toBe(0);
    expect(
      (await world.runner(claim!, 'POST', '/result', { body: { status: 'failure' } })).status,
    ).toBe(200);
    expect(
      (await world.runner(claim!, 'POST', '/result', { body: { status: 'success' } })).status,
    ).toBe(409);
    expect((await post({ type: 'job.queued', jobId: 'test', at: nowIso() })).status).toBe(422);
  });

  it('a build token may not speak for another build (403)', async () => {
    await world.trigger();
    await world.trigger();
    const first = (await world.claim(runnerA)).claim!;
    const second = (await world.claim(runnerB)).claim!;
    const answer = await app.call('POST', `/v1/runner/builds/${second.build.id}/heartbeat`, {
      token: first.buildToken,
      headers: { 'x-gibbon-lease': second.lease.id },
    });
    expect(answer.status).toBe(403);
    for (const c of [first, second]) {
      await world.runner(c, 'POST', '/result', { body: { status: 'success' } });
    }
  });

  it('cancel reaches the runner with its next heartbeat', async () => {
    const build = await world.trigger();
    const { claim } = await world.claim(runnerA);
    expect((await world.runner(claim!, 'POST', '/heartbeat')).body).toMatchObject({
      cancel: false,
    });
    const canceled = await app.call(
      'POST',
      `/v1/orgs/acme/repos/web/builds/${build.number}/cancel`,
      {
        token: app.adminToken,
      },
    );
    expect(canceled).toMatchObject({ status: 200, body: { status: 'running' } });
    expect((await world.runner(claim!, 'POST', '/heartbeat')).body).toMatchObject({ cancel: true });
    await world.runner(claim!, 'POST', '/result', { body: { status: 'canceled' } });
    expect((await world.getBuild(build.number)).status).toBe('canceled');
  });

  it('a queued build is canceled at once and never claimed', async () => {
    const build = await world.trigger();
    await app.call('POST', `/v1/orgs/acme/repos/web/builds/${build.number}/cancel`, {
      token: app.adminToken,
    });
    expect((await world.getBuild(build.number)).status).toBe('canceled');
    expect((await world.claim(runnerA)).status).toBe(204);
  });

  it('a build of a repository with runs-on labels goes only to a runner that has them all', async () => {
    const queued = await world.triggerInNewRepo('gpu', [
      { name: 'runs-on', value: 'gpu' },
      { name: 'team', value: 'ml' },
    ]);
    expect((await world.claim(runnerA)).status).toBe(204);
    const gpuRunner = (
      await app.services.runners.register({
        name: 'gpu',
        labels: [
          { name: 'runs-on', value: 'gpu' },
          { name: 'os', value: 'linux' },
        ],
      })
    ).token;
    const { claim } = await world.claim(gpuRunner);
    expect(claim?.build).toMatchObject({ repo: 'gpu', id: queued.id });
    await world.runner(claim!, 'POST', '/result', { body: { status: 'success' } });
  });

  it('a runner cannot claim a pinned build by naming labels it was not registered with', async () => {
    const queued = await world.triggerInNewRepo('deploy', [{ name: 'runs-on', value: 'deploy' }]);
    const forged = await app.call('POST', '/v1/runner/claim?wait=0', {
      token: runnerA,
      body: { labels: [{ name: 'runs-on', value: 'deploy' }] },
    });
    expect(forged.status).toBe(403);
    expect(JSON.stringify(forged.body)).toContain('not registered with the label runs-on=deploy');
    expect((await app.services.builds.getById(queued.id)).status).toBe('queued');
    await app.call('POST', `/v1/orgs/acme/repos/deploy/builds/${queued.number}/cancel`, {
      token: app.adminToken,
    });
  });

  it('a claim whose runner hung up is given back at once, uncounted', async () => {
    const build = await world.trigger();
    const { claims } = app.services;
    const runner = { id: 'run_gone', labels: [] };
    const lost = await claims.claim(runner, 0, new AbortController().signal);
    expect(lost?.build.id).toBe(build.id);
    await claims.release(lost!.build.id, lost!.lease.id);
    expect((await world.getBuild(build.number)).status).toBe('queued');
    expect((await world.runner(lost!, 'POST', '/heartbeat')).status).toBe(409);
    const { claim } = await world.claim(runnerB);
    expect(claim?.build.id).toBe(build.id);
    expect((await app.services.builds.getById(build.id)).claims).toBe(1);
    await world.runner(claim!, 'POST', '/result', { body: { status: 'success' } });
  });

  describe('leases', () => {
    let build: Build;
    let stale: Claim;

    it('a runner that stops heart-beating loses its build, which another runner then gets', async () => {
      build = await world.trigger();
      stale = (await world.claim(runnerA)).claim!;
      await world.runner(stale, 'POST', '/events', {
        body: {
          type: 'job.pending',
          jobId: 'test',
          kind: 'container',
          dependsOn: [],
          at: nowIso(),
        },
      });
      const taken = await world.claim(runnerB, 10);
      expect(taken.claim?.build.id).toBe(build.id);
      expect(taken.claim?.lease.id).not.toBe(stale.lease.id);
      expect(taken.claim?.build.jobs).toEqual([]);
      await world.runner(taken.claim!, 'POST', '/result', { body: { status: 'success' } });
    });

    it("the stale runner's calls get 409 and change nothing", async () => {
      const before = await world.getBuild(build.number);
      expect(before.status).toBe('success');
      const calls = await Promise.all([
        world.runner(stale, 'POST', '/heartbeat'),
        world.runner(stale, 'POST', '/events', {
          body: { type: 'job.queued', jobId: 'test', at: nowIso() },
        }),
        world.runner(stale, 'PUT', '/jobs/test/logs/0', {
          rawBody: 'late output\n',
          headers: { 'content-type': 'text/plain' },
        }),
        world.runner(stale, 'GET', '/params'),
        world.runner(stale, 'POST', '/result', { body: { status: 'failure' } }),
      ]);
      expect(calls.map((c) => c.status)).toEqual([409, 409, 409, 409, 409]);
      expect(await world.getBuild(build.number)).toEqual(before);
      expect(await world.count('log_chunks')).toBe(0);
    });

    it("a re-queued build's log is its second run's, stored apart from the first run's", async () => {
      const requeued = await world.trigger();
      const put = (claim: Claim, text: string) =>
        world.runner(claim, 'PUT', '/jobs/_script/logs/0', {
          rawBody: text,
          headers: { 'content-type': 'text/plain' },
        });
      const first = (await world.claim(runnerA)).claim!;
      expect((await put(first, 'first run\n')).status).toBe(200);
      const second = (await world.claim(runnerB, 10)).claim!;
      expect(second.build.id).toBe(requeued.id);
      expect((await put(second, 'second run\n')).status).toBe(200);

      const path = `/v1/orgs/acme/repos/web/builds/${requeued.number}/jobs/_script/logs`;
      const log = await app.call('GET', path, { token: app.adminToken });
      // Only the note of the re-queue (public-api's own line) is left of the first run.
      expect(log.text).toMatch(
        /^runner a stopped responding at \S+; build re-queued \(attempt 2\)\nsecond run\n$/,
      );
      // Each run's chunk has its own key: a late write of the first can't replace the second's.
      const prefix = `logs/acme/web/${requeued.number}/_script/`;
      const keys: string[] = [];
      for await (const info of app.blobStore.list(prefix)) keys.push(info.key);
      expect(keys.sort()).toEqual([`${prefix}1/0000000000.log`, `${prefix}2/0000000000.log`]);
      await world.runner(second, 'POST', '/result', { body: { status: 'success' } });
    });

    /** Claims the build and lets the lease lapse, after one heartbeat when `renewed`. */
    async function loseLease(runner: string, number: number, renewed: boolean): Promise<string> {
      const { claim } = await world.claim(runner, 10);
      expect(claim?.build.number).toBe(number);
      if (renewed) expect((await world.runner(claim!, 'POST', '/heartbeat')).status).toBe(200);
      await eventually(
        async () => (await world.getBuild(number)).status !== 'running',
        3 * leaseMs,
      );
      return (await world.getBuild(number)).status;
    }

    it('a build whose renewed lease is lost twice fails as error with a message', async () => {
      const lost = await world.trigger();
      expect(await loseLease(runnerA, lost.number, true)).toBe('queued');
      expect(await loseLease(runnerB, lost.number, true)).toBe('error');
      expect((await world.getBuild(lost.number)).message).toMatch(
        /stopped renewing its lease 2 times \(last: runner run_\w+\)/,
      );
    });

    it('a lease never renewed (its claim never reached a runner) re-queues the build uncounted', async () => {
      const unseen = await world.trigger();
      expect(await loseLease(runnerA, unseen.number, false)).toBe('queued');
      expect(await loseLease(runnerA, unseen.number, false)).toBe('queued');
      expect(await loseLease(runnerB, unseen.number, true)).toBe('queued');
      const { claim } = await world.claim(runnerB, 10);
      expect(claim?.build.id).toBe(unseen.id);
      await world.runner(claim!, 'POST', '/result', { body: { status: 'success' } });
      expect((await world.getBuild(unseen.number)).status).toBe('success');
    });

    it('a build handed out five times and never taken up fails as error', async () => {
      const doomed = await world.trigger();
      for (let loss = 1; loss < 5; loss++) {
        expect(await loseLease(runnerA, doomed.number, false)).toBe('queued');
      }
      expect(await loseLease(runnerA, doomed.number, false)).toBe('error');
      expect((await world.getBuild(doomed.number)).message).toMatch(
        /handed to a runner 5 times and never taken up/,
      );
    });

    it('heartbeats keep the lease past its first term', async () => {
      const kept = await world.trigger();
      const { claim } = await world.claim(runnerA);
      for (let i = 0; i < 4; i++) {
        await new Promise((resolve) => setTimeout(resolve, leaseMs / 3));
        expect((await world.runner(claim!, 'POST', '/heartbeat')).status).toBe(200);
      }
      expect((await world.getBuild(kept.number)).status).toBe('running');
      await world.runner(claim!, 'POST', '/result', { body: { status: 'success' } });
    });
  });
});

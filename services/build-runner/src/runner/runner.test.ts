import { claimFixture } from '../../test/claim-fixture';
import { FakeExecutor } from '../../test/fake-executor';
import { FakeRunnerApi, type Posted } from '../../test/fake-runner-api';
import { createMemoryLogger } from '../logger';
import { BuildStop } from './build-executor';
import { RunnerMetrics } from '../metrics/runner-metrics';
import { RunnerApiClient } from '../runner-api/client';
import { Runner, type RunnerOptions } from './runner';

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await delay(10);
  }
}

function describePosted(entry: Posted): [string, string] {
  return [entry.kind, 'type' in entry.body ? entry.body.type : entry.body.status];
}

let api: FakeRunnerApi;
let executor: FakeExecutor;
let runner: Runner;
let done: Promise<void>;
const logger = createMemoryLogger();

function startRunner(overrides: Partial<RunnerOptions> = {}): void {
  runner = new Runner({
    api,
    executor,
    logger,
    capacity: 2,
    drainTimeoutMs: 5_000,
    claimWaitSeconds: 1,
    claimGraceMs: 50,
    backoff: { initialMs: 10, maxMs: 50 },
    heartbeat: { minIntervalMs: 20, maxIntervalMs: 40 },
    reportTimeoutMs: 2_000,
    ...overrides,
  });
  done = runner.run();
}

beforeEach(() => {
  api = new FakeRunnerApi();
  executor = new FakeExecutor();
});

afterEach(async () => {
  runner.cancelAll();
  await done;
});

describe('Runner', () => {
  it('runs up to capacity builds at once and claims again when a slot frees', async () => {
    startRunner();
    for (const id of ['b1', 'b2', 'b3']) api.enqueue(claimFixture({ id }));
    await executor.untilRunning(2);
    await delay(100);
    expect(executor.started).toEqual(['b1', 'b2']);
    expect(api.queue).toHaveLength(1);
    expect(api.claimRequests.map((request) => request.capacity)).toEqual([2, 1]);

    executor.finish('b1');
    await until(() => executor.started.length === 3);
    expect(executor.running.size).toBe(2);
    await until(() => api.postedFor('b1').some((entry) => entry.kind === 'result'));
    expect(api.postedFor('b1').map(describePosted)).toEqual([
      ['event', 'job.pending'],
      ['event', 'build.ended'],
      ['result', 'success'],
    ]);
  });

  it('keeps the lease alive while a build runs', async () => {
    startRunner();
    api.enqueue(claimFixture({ id: 'b1' }));
    await executor.untilRunning(1);
    await delay(200);
    expect(api.heartbeats.get('b1')).toBeGreaterThanOrEqual(3);
  });

  it('rides out failing heartbeats, trying again sooner, without stopping the build', async () => {
    startRunner({ heartbeat: { minIntervalMs: 20, maxIntervalMs: 200 } });
    api.enqueue(claimFixture({ id: 'b1' }));
    await executor.untilRunning(1);
    api.heartbeatMode.set('b1', 'unavailable');
    const before = api.heartbeats.get('b1') ?? 0;
    await delay(300);
    expect((api.heartbeats.get('b1') ?? 0) - before).toBeGreaterThanOrEqual(3);
    expect(executor.running.get('b1')?.run.signal.aborted).toBe(false);
    api.heartbeatMode.set('b1', 'ok');
    executor.finish('b1');
    await until(() => api.postedFor('b1').some((entry) => entry.kind === 'result'));
    expect(api.postedFor('b1').at(-1)?.body).toEqual({ status: 'success' });
  });

  it('aborts the build’s signal on cancel from the heartbeat and posts canceled', async () => {
    startRunner();
    api.enqueue(claimFixture({ id: 'b1' }));
    await executor.untilRunning(1);
    const { signal } = executor.running.get('b1')!.run;
    api.heartbeatMode.set('b1', 'cancel');
    await until(() => api.postedFor('b1').some((entry) => entry.kind === 'result'));
    expect(signal.reason).toEqual(new BuildStop('canceled'));
    expect(api.postedFor('b1').at(-1)?.body).toEqual({ status: 'canceled' });
    expect(api.postedFor('b1').at(-2)?.body).toMatchObject({
      type: 'build.ended',
      status: 'canceled',
    });
  });

  it('hands the approval decisions of the heartbeat to the build', async () => {
    startRunner();
    api.enqueue(claimFixture({ id: 'b1' }));
    await executor.untilRunning(1);
    const { approvals } = executor.running.get('b1')!.run;
    const waiting = approvals.wait('deploy', new AbortController().signal);
    const at = new Date().toISOString();
    api.approvals.set('b1', [{ jobId: 'deploy', decision: 'approved', by: 'ops', at }]);
    await expect(waiting).resolves.toEqual({ decision: 'approved', by: 'ops', at });
  });

  it('stops the build on a lost lease and posts nothing more for it', async () => {
    startRunner();
    api.enqueue(claimFixture({ id: 'b1' }));
    await executor.untilRunning(1);
    const { run } = executor.running.get('b1')!;
    await until(() => api.postedFor('b1').length === 1);
    api.heartbeatMode.set('b1', 'conflict');
    await until(() => run.signal.aborted);
    expect(run.signal.reason).toEqual(new BuildStop('lease-lost'));
    expect(run.reportingSignal.aborted).toBe(true);
    run.report({ type: 'job.queued', jobId: 'test', at: new Date().toISOString() });
    api.heartbeatMode.set('b1', 'ok'); // even if public-api would now accept it
    await delay(200);
    expect(api.postedFor('b1').map((entry) => entry.body)).toEqual([
      expect.objectContaining({ type: 'job.pending' }),
    ]);
    expect(runner.running).toBe(0);
  });

  it('repeats the result while public-api is unavailable', async () => {
    startRunner();
    api.resultFailures = 3;
    api.enqueue(claimFixture({ id: 'b1' }));
    await executor.untilRunning(1);
    executor.finish('b1', { status: 'failure', message: 'job test failed' });
    await until(() => api.postedFor('b1').some((entry) => entry.kind === 'result'));
    expect(api.posted.filter((entry) => entry.kind === 'result')).toEqual([
      { buildId: 'b1', kind: 'result', body: { status: 'failure', message: 'job test failed' } },
    ]);
  });

  it('drains: claims nothing more, lets running builds finish, then stops', async () => {
    startRunner();
    api.enqueue(claimFixture({ id: 'b1' }));
    await executor.untilRunning(1);
    runner.drain();
    const claims = api.claimRequests.length;
    await delay(100); // past the grace of the claim that was waiting
    api.enqueue(claimFixture({ id: 'b2' }));
    await delay(100);
    expect(executor.started).toEqual(['b1']);
    expect(executor.running.get('b1')?.run.signal.aborted).toBe(false);
    executor.finish('b1');
    await done;
    expect(api.claimRequests).toHaveLength(claims);
    expect(api.postedFor('b1').at(-1)?.body).toEqual({ status: 'success' });
  });

  it('drains: a claim on its way when the stop comes still brings its build, which runs', async () => {
    startRunner({ claimGraceMs: 1_000 });
    await until(() => api.claimRequests.length === 1);
    runner.drain();
    api.enqueue(claimFixture({ id: 'on-the-wire' }));
    await executor.untilRunning(1);
    executor.finish('on-the-wire');
    await done;
    expect(api.claimRequests).toHaveLength(1);
    expect(api.postedFor('on-the-wire').at(-1)?.body).toEqual({ status: 'success' });
  });

  it('drains: a claim that brings nothing within the grace is aborted, and the runner stops', async () => {
    startRunner({ claimGraceMs: 100 });
    await until(() => api.claimRequests.length === 1);
    runner.drain();
    await done;
    expect(api.claimRequests[0]?.signal?.aborted).toBe(true);
    expect(executor.started).toEqual([]);
  });

  it('once: claims one build for one slot, runs and reports it, then stops', async () => {
    startRunner({ once: true, capacity: 4, drainTimeoutMs: 50 });
    api.enqueue(claimFixture({ id: 'b1' }));
    api.enqueue(claimFixture({ id: 'b2' }));
    await executor.untilRunning(1);
    await delay(150); // past a drain timeout: a once build has none
    expect(executor.started).toEqual(['b1']);
    expect(executor.running.get('b1')?.run.signal.aborted).toBe(false);
    executor.finish('b1', { status: 'failure', message: 'job test failed' });
    await done;
    expect(api.claimRequests.map((request) => request.capacity)).toEqual([1]);
    expect(api.queue.map((claim) => claim.build.id)).toEqual(['b2']);
    expect(api.postedFor('b1').at(-1)?.body).toMatchObject({ status: 'failure' });
  });

  it('once: keeps polling until its build comes, and SIGTERM still drains it', async () => {
    startRunner({ once: true, drainTimeoutMs: 100 });
    await until(() => api.claimRequests.length >= 2); // a claim of 1 s came back empty
    api.enqueue(claimFixture({ id: 'late' }));
    await executor.untilRunning(1);
    runner.drain();
    await done;
    expect(api.postedFor('late').at(-1)?.body).toMatchObject({ status: 'canceled' });
  });

  it('cancels builds still running when the drain timeout ends', async () => {
    startRunner({ drainTimeoutMs: 150 });
    api.enqueue(claimFixture({ id: 'b1' }));
    await executor.untilRunning(1);
    const started = Date.now();
    runner.drain();
    await done;
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(api.postedFor('b1').at(-1)?.body).toEqual({
      status: 'canceled',
      message: 'The runner shut down before the build finished.',
    });
  });

  it('cancels at once on a second stop', async () => {
    startRunner({ drainTimeoutMs: 60_000 });
    api.enqueue(claimFixture({ id: 'b1' }));
    await executor.untilRunning(1);
    runner.drain();
    runner.cancelAll();
    await done;
    expect(api.postedFor('b1').at(-1)?.body).toMatchObject({ status: 'canceled' });
  });

  it('counts the claim polls that fail (public-api not listening)', async () => {
    const metrics = new RunnerMetrics(2);
    startRunner({ api: new RunnerApiClient('http://127.0.0.1:9', 'gbn_runner_x'), metrics });
    const failures = async () => {
      const text = await metrics.registry.metrics();
      return Number(/^gibbon_runner_claim_errors_total (\d+)$/m.exec(text)?.[1] ?? 0);
    };
    const deadline = Date.now() + 3000;
    while ((await failures()) < 2 && Date.now() < deadline) await delay(20);
    expect(await failures()).toBeGreaterThanOrEqual(2);
  });
});

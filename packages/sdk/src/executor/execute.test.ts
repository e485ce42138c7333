import { UnprocessableError } from '@gibbon/contracts';
import { testContext } from '../../test/context';
import { FakeContainerRunner, type ScriptedRun } from '../../test/fake-runner';
import { InMemoryJobApi } from '../../test/fake-job-api';
import {
  action,
  container,
  type ActionFn,
  type CommandContainerSpec,
  type Job,
  type JobOptions,
} from '../jobs';
import { resolvePipeline } from '../resolve';
import { executeJobs } from './execute';
import type { ExecuteOptions, ExecutionResult, ExecutorEvent } from './types';

const ctx = testContext();

function box(id: string, options: Omit<CommandContainerSpec, 'image' | 'command'> = {}): Job {
  return container(id, { image: 'alpine:3', command: ['true'], ...options });
}

interface Run {
  result: ExecutionResult;
  events: ExecutorEvent[];
  backend: FakeContainerRunner;
  apis: InMemoryJobApi[];
}

async function run(
  jobs: readonly Job[],
  scripts: Record<string, ScriptedRun | ScriptedRun[]> = {},
  options: Partial<ExecuteOptions> = {},
): Promise<Run> {
  const backend = new FakeContainerRunner(scripts);
  const events: ExecutorEvent[] = [];
  const apis: InMemoryJobApi[] = [];
  const result = await executeJobs(jobs, {
    ctx,
    backend,
    maxParallel: 4,
    onEvent: (event) => events.push(event),
    createJobApi: (job, signal, outputs) => {
      const api = new InMemoryJobApi(job.id, ctx, signal, outputs);
      apis.push(api);
      return api;
    },
    ...options,
  });
  return { result, events, backend, apis };
}

const statuses = (result: ExecutionResult): Record<string, string> =>
  Object.fromEntries(result.jobs.map((job) => [job.jobId, job.status]));

describe('executeJobs', () => {
  it('never runs more jobs at once than maxParallel', async () => {
    const jobs = ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => box(id));
    const scripts = Object.fromEntries(jobs.map((job) => [job.id, { ms: 30 }]));
    const { result, backend } = await run(jobs, scripts, { maxParallel: 2 });
    expect(result.status).toBe('success');
    expect(backend.maxRunning).toBe(2);
    expect(backend.started).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('runs independent jobs in parallel', async () => {
    const jobs = ['a', 'b', 'c'].map((id) => box(id));
    const { backend } = await run(jobs, { a: { ms: 40 }, b: { ms: 40 }, c: { ms: 40 } });
    expect(backend.maxRunning).toBe(3);
  });

  it('orders a diamond: the join starts only after both branches succeeded', async () => {
    const jobs = [
      box('a'),
      box('b', { dependsOn: ['a'] }),
      box('c', { dependsOn: ['a'] }),
      box('d', { dependsOn: ['b', 'c'] }),
    ];
    const { result, backend, events } = await run(jobs, { b: { ms: 10 }, c: { ms: 40 } });
    expect(backend.started[0]).toBe('a');
    expect(backend.started.slice(1, 3).sort()).toEqual(['b', 'c']);
    expect(backend.started[3]).toBe('d');
    const endedC = events.findIndex((e) => e.type === 'job.ended' && e.jobId === 'c');
    const startedD = events.findIndex((e) => e.type === 'job.started' && e.jobId === 'd');
    expect(startedD).toBeGreaterThan(endedC);
    expect(result.status).toBe('success');
  });

  it('skips the dependents of a failed job, transitively, naming the dependency', async () => {
    const jobs = [
      box('a'),
      box('b', { dependsOn: ['a'] }),
      box('c', { dependsOn: ['b'] }),
      box('x'),
    ];
    const { result, backend } = await run(jobs, {
      a: { result: { status: 'failure', exitCode: 3 } },
    });
    expect(statuses(result)).toEqual({ a: 'failure', b: 'skipped', c: 'skipped', x: 'success' });
    expect(result.jobs[0]).toMatchObject({ exitCode: 3, attempts: 1 });
    expect(result.jobs[1]?.message).toBe('Its dependency "a" ended failure.');
    expect(result.jobs[2]?.message).toBe('Its dependency "b" ended skipped.');
    expect(backend.started).toEqual(['a', 'x']);
    expect(result.status).toBe('failure');
  });

  it('turns a backend rejection into an errored job and an errored build', async () => {
    const { result } = await run([box('a')], { a: { throws: 'docker is gone' } });
    expect(result.jobs[0]).toMatchObject({
      status: 'error',
      message: 'The container backend failed: docker is gone',
    });
    expect(result.status).toBe('error');
  });

  it('skips a job whose when() is false and runs its siblings', async () => {
    const jobs = [
      box('deploy', { when: (c) => c.git.branch === 'release' }),
      box('after', { dependsOn: ['deploy'] }),
      box('test', { when: async (c) => Promise.resolve(c.git.branch === 'main') }),
    ];
    const { result, backend } = await run(jobs);
    expect(statuses(result)).toEqual({ deploy: 'skipped', after: 'skipped', test: 'success' });
    expect(result.jobs[0]?.message).toMatch(/when\(\) condition was false/);
    expect(backend.started).toEqual(['test']);
    expect(result.status).toBe('success');
  });

  it('retries a failed job up to its retries and stops at the first success', async () => {
    const fail: ScriptedRun = { result: { status: 'failure', exitCode: 1 } };
    const { result, events, backend } = await run([box('flaky', { retries: 3 })], {
      flaky: [fail, fail, {}],
    });
    expect(result.jobs[0]).toMatchObject({ status: 'success', attempts: 3 });
    expect(backend.started).toEqual(['flaky', 'flaky', 'flaky']);
    expect(
      events
        .filter((e) => e.type === 'job.retrying')
        .map((e) => e.type === 'job.retrying' && e.attempt),
    ).toEqual([2, 3]);
    const attempts = events.flatMap((e) => (e.type === 'job.started' ? [e.attempt] : []));
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('ends failed when the retries are used up', async () => {
    const fail: ScriptedRun = { result: { status: 'failure', exitCode: 2 } };
    const { result, backend } = await run([box('flaky', { retries: 1 })], {
      flaky: [fail, fail, {}],
    });
    expect(result.jobs[0]).toMatchObject({ status: 'failure', attempts: 2, exitCode: 2 });
    expect(backend.started).toHaveLength(2);
  });

  it('times a job out: its signal aborts and it ends timed_out, not retried', async () => {
    const jobs = [box('slow', { timeout: 1, retries: 2 }), box('next', { dependsOn: ['slow'] })];
    const { result, backend } = await run(jobs, { slow: { ms: 5_000 } });
    expect(result.jobs[0]).toMatchObject({
      status: 'timed_out',
      attempts: 1,
      message: 'The job timed out after 1 s.',
    });
    expect(backend.aborted).toEqual(['slow']);
    expect(statuses(result).next).toBe('skipped');
    expect(result.status).toBe('failure');
  });

  it('keeps a timed_out answer of the backend (the runner timer) and does not retry it', async () => {
    const { result, backend } = await run([box('slow', { timeout: 30, retries: 2 })], {
      slow: { result: { status: 'timed_out', message: 'stopped by the runner after 30 s' } },
    });
    expect(result.jobs[0]).toMatchObject({
      status: 'timed_out',
      attempts: 1,
      message: 'stopped by the runner after 30 s',
    });
    expect(backend.started).toEqual(['slow']);
  });

  it('cancels running jobs and every job not yet started when the build signal aborts', async () => {
    const controller = new AbortController();
    const jobs = [box('a'), box('b'), box('c'), box('d', { dependsOn: ['a'] })];
    setTimeout(() => controller.abort(), 30);
    const started = Date.now();
    const { result, backend } = await run(
      jobs,
      { a: { ms: 5_000 }, b: { ms: 5_000 }, c: { ms: 5_000 } },
      {
        maxParallel: 2,
        signal: controller.signal,
      },
    );
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(statuses(result)).toEqual({
      a: 'canceled',
      b: 'canceled',
      c: 'canceled',
      d: 'canceled',
    });
    expect(backend.aborted.sort()).toEqual(['a', 'b']);
    expect(backend.started).toHaveLength(2);
    expect(result.status).toBe('canceled');
  });

  it('counts a job the runner canceled as a canceled build, not a success', async () => {
    const jobs = [box('a'), box('b', { dependsOn: ['a'] })];
    const { result } = await run(jobs, {
      a: { result: { status: 'canceled', message: 'runner stopping' } },
    });
    expect(statuses(result)).toEqual({ a: 'canceled', b: 'skipped' });
    expect(result.status).toBe('canceled');
  });

  it('runs nothing when the build is already canceled', async () => {
    const controller = new AbortController();
    controller.abort();
    const { result, backend } = await run([box('a'), box('b')], {}, { signal: controller.signal });
    expect(backend.started).toEqual([]);
    expect(statuses(result)).toEqual({ a: 'canceled', b: 'canceled' });
  });

  it('does not retry a job canceled with the build', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const { result, backend } = await run(
      [box('a', { retries: 3 })],
      { a: { ms: 5_000 } },
      { signal: controller.signal },
    );
    expect(result.jobs[0]).toMatchObject({ status: 'canceled', attempts: 1 });
    expect(backend.started).toEqual(['a']);
  });

  it('emits pending for every job first, then queued, started and ended per job', async () => {
    const { events } = await run([box('a'), box('b', { dependsOn: ['a'] })]);
    expect(events.slice(0, 2)).toEqual([
      { type: 'job.pending', jobId: 'a' },
      { type: 'job.pending', jobId: 'b' },
    ]);
    expect(events.filter((e) => e.jobId === 'b').map((e) => e.type)).toEqual([
      'job.pending',
      'job.queued',
      'job.started',
      'job.ended',
    ]);
    const ended = events.find((e) => e.type === 'job.ended' && e.jobId === 'a');
    expect(ended).toMatchObject({ status: 'success', exitCode: 0, attempts: 1 });
    expect(
      ended?.type === 'job.ended' && Date.parse(ended.endedAt) >= Date.parse(ended.startedAt ?? ''),
    ).toBe(true);
  });

  describe('action jobs', () => {
    const act = (id: string, fn: ActionFn, options?: JobOptions): Job => action(id, fn, options);

    it('runs the function with a job API and succeeds when it returns', async () => {
      const { result, apis } = await run([act('hello', (job) => job.log('hi from', job.jobId))]);
      expect(result.jobs[0]?.status).toBe('success');
      expect(apis[0]?.lines).toEqual(['hi from hello']);
    });

    it('fails when the function throws, keeping its message and exit code', async () => {
      const error = Object.assign(new Error('npm publish exited with code 1'), { exitCode: 1 });
      const { result } = await run([act('publish', () => Promise.reject(error))]);
      expect(result.jobs[0]).toMatchObject({
        status: 'failure',
        exitCode: 1,
        message: 'npm publish exited with code 1',
      });
      expect(result.status).toBe('failure');
    });

    it('skips on job.skip(reason) and skips its dependents', async () => {
      const jobs = [
        act('maybe', (job) => job.skip('nothing changed')),
        box('after', { dependsOn: ['maybe'] }),
      ];
      const { result } = await run(jobs);
      expect(result.jobs[0]).toMatchObject({ status: 'skipped', message: 'nothing changed' });
      expect(statuses(result).after).toBe('skipped');
      expect(result.status).toBe('success');
    });

    it('times out an action that ignores its signal, and aborts the signal it was given', async () => {
      let seen: AbortSignal | undefined;
      const hang = act(
        'hang',
        (job) => {
          seen = job.signal;
          return new Promise(() => undefined);
        },
        { timeout: 0.05 },
      );
      const { result } = await run([hang]);
      expect(result.jobs[0]?.status).toBe('timed_out');
      expect(seen?.aborted).toBe(true);
    });

    it('retries a throwing action with a fresh job API and reports each retry', async () => {
      let calls = 0;
      const flaky = act(
        'flaky',
        () => {
          calls += 1;
          if (calls < 3) throw new Error(`transient ${calls}`);
        },
        { retries: 2 },
      );
      const { result, events, apis } = await run([flaky]);
      expect(result.jobs[0]).toMatchObject({ status: 'success', attempts: 3 });
      expect(apis).toHaveLength(3);
      const retries = events.filter((e) => e.type === 'job.retrying');
      expect(retries).toEqual([
        {
          type: 'job.retrying',
          jobId: 'flaky',
          attempt: 2,
          previousStatus: 'failure',
          message: 'transient 1',
        },
        {
          type: 'job.retrying',
          jobId: 'flaky',
          attempt: 3,
          previousStatus: 'failure',
          message: 'transient 2',
        },
      ]);
    });

    it('fails an action whose retries are used up', async () => {
      const { result, apis } = await run([
        act('broken', () => Promise.reject(new Error('nope')), { retries: 1 }),
      ]);
      expect(result.jobs[0]).toMatchObject({ status: 'failure', attempts: 2, message: 'nope' });
      expect(apis).toHaveLength(2);
    });

    it('does not retry a timed-out action', async () => {
      const { result, apis } = await run([
        act('hang', () => new Promise(() => undefined), { timeout: 0.05, retries: 3 }),
      ]);
      expect(result.jobs[0]).toMatchObject({
        status: 'timed_out',
        attempts: 1,
        message: 'The job timed out after 0.05 s.',
      });
      expect(apis).toHaveLength(1);
    });

    it('cancels a running action with the build', async () => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 30);
      const hang = act(
        'hang',
        (job) => new Promise((resolve) => job.signal.addEventListener('abort', () => resolve())),
        { retries: 2 },
      );
      const { result } = await run([hang], {}, { signal: controller.signal });
      expect(result.jobs[0]).toMatchObject({ status: 'canceled', attempts: 1 });
      expect(result.status).toBe('canceled');
    });
  });

  it('runs a dynamic pipeline resolved from the context', async () => {
    const definition = (c: typeof ctx) => [
      box('build'),
      ...c.git.changedFiles.map((file, i) =>
        box(`lint-${i}`, { dependsOn: ['build'], env: { FILE: file } }),
      ),
    ];
    const jobs = await resolvePipeline(definition, testContext({ changedFiles: ['a.ts', 'b.ts'] }));
    const { result, backend } = await run(jobs);
    expect(backend.started).toEqual(['build', 'lint-0', 'lint-1']);
    expect(result.status).toBe('success');
  });

  it('refuses an invalid graph before running any job', async () => {
    const backend = new FakeContainerRunner();
    const jobs = [box('a', { dependsOn: ['b'] }), box('b', { dependsOn: ['a'] })];
    const running = executeJobs(jobs, {
      ctx,
      backend,
      maxParallel: 1,
      createJobApi: () => {
        throw new Error('unused');
      },
    });
    await expect(running).rejects.toThrow(UnprocessableError);
    await expect(running).rejects.toThrow('cycle: a → b → a');
    expect(backend.started).toEqual([]);
  });

  it('refuses a maxParallel below 1', async () => {
    await expect(run([box('a')], {}, { maxParallel: 0 })).rejects.toThrow(
      /maxParallel must be a whole number/,
    );
  });

  it('succeeds with no jobs at all', async () => {
    const { result } = await run([]);
    expect(result).toEqual({ status: 'success', jobs: [] });
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContainerRunAnswer, ContainerRunRequest } from '../client/types';
import { testContext } from '../../test/context';
import { InMemoryScriptApi } from '../../test/in-memory-script-api';
import { action, container } from '../jobs';
import { pipeline } from '../pipeline';
import { runBuild } from './run-build';

let checkout: string;
beforeEach(async () => {
  checkout = await mkdtemp(join(tmpdir(), 'gibbon-run-build-'));
});
afterEach(() => rm(checkout, { recursive: true, force: true }));

const deps = (api: InMemoryScriptApi, signal = new AbortController().signal) => ({
  api,
  checkout,
  baseEnv: { PATH: process.env.PATH },
  signal,
});

function answer(
  request: ContainerRunRequest,
  status: ContainerRunAnswer['status'],
  exitCode: number | null,
): ContainerRunAnswer {
  const at = new Date().toISOString();
  return {
    jobId: request.id,
    status,
    exitCode,
    startedAt: at,
    finishedAt: at,
    attempt: request.attempt ?? 1,
    message: null,
  };
}

/** Events without their timestamps, as `type:jobId:detail` strings. */
function timeline(api: InMemoryScriptApi): string[] {
  return api.events.map((event) => {
    if (event.type === 'script.ended') return `script.ended:${event.status}`;
    if (event.type === 'job.ended') return `job.ended:${event.jobId}:${event.status}`;
    if (event.type === 'job.started') return `job.started:${event.jobId}:${event.attempt}`;
    return `${event.type}:${event.jobId}`;
  });
}

describe('runBuild', () => {
  it('reports every job pending, runs containers through the API and actions in process', async () => {
    const api = new InMemoryScriptApi();
    const definition = pipeline(() => [
      container('test', {
        image: 'node:20',
        script: ['npm test'],
        env: { CI: '1' },
        when: () => true,
      }),
      action('report', (job) => job.log('all green on', job.ctx.git.branch), {
        dependsOn: ['test'],
      }),
    ]);
    const outcome = await runBuild({ default: definition }, deps(api));
    expect(outcome.status).toBe('success');
    expect(timeline(api)).toEqual([
      'job.pending:test',
      'job.pending:report',
      'job.queued:test',
      'job.started:test:1',
      'job.ended:test:success',
      'job.queued:report',
      'job.started:report:1',
      'job.ended:report:success',
      'script.ended:success',
    ]);
    expect(api.events[1]).toMatchObject({ kind: 'action', dependsOn: ['test'] });
    expect(api.runs).toEqual([
      {
        jobId: 'test',
        request: {
          id: 'test',
          image: 'node:20',
          script: ['npm test'],
          env: { CI: '1' },
          attempt: 1,
        },
      },
    ]);
    expect(api.linesOf('report')).toEqual(['all green on main']);
  });

  it('reports an approval job waiting, asks the runner for the decision, then runs it', async () => {
    const api = new InMemoryScriptApi();
    const definition = pipeline(() => [
      container('deploy', { image: 'node:20', command: ['deploy'], approval: true }),
    ]);
    const postEvent = api.postEvent.bind(api);
    // The decision is made once the runner heard of the wait, as a person would see it.
    api.postEvent = async (event) => {
      await postEvent(event);
      if (event.type === 'job.waiting') {
        setTimeout(() => api.decisions.set('deploy', { decision: 'approved', by: 'ops' }), 30);
      }
    };
    const outcome = await runBuild({ default: definition }, deps(api));
    expect(outcome.status).toBe('success');
    expect(timeline(api)).toEqual([
      'job.pending:deploy',
      'job.waiting:deploy',
      'job.queued:deploy',
      'job.started:deploy:1',
      'job.ended:deploy:success',
      'script.ended:success',
    ]);
    // Asked again while pending, never before the runner had the job.waiting event.
    expect(api.approvalRequests.length).toBeGreaterThan(1);
    expect(api.runs.map((run) => run.jobId)).toEqual(['deploy']);
  });

  it('skips a rejected approval job, saying who rejected it and why', async () => {
    const api = new InMemoryScriptApi();
    api.decisions.set('deploy', {
      decision: 'rejected',
      by: 'ops',
      at: '2026-12-07T10:00:00.000Z',
      comment: 'freeze',
    });
    const definition = container('deploy', { image: 'node:20', command: ['x'], approval: true });
    const outcome = await runBuild({ default: definition }, deps(api));
    expect(outcome.jobs[0]).toMatchObject({
      status: 'skipped',
      message: 'Rejected by ops at 2026-12-07T10:00:00.000Z: freeze',
    });
    expect(api.runs).toEqual([]);
  });

  it('sends an action job log before its job.ended event', async () => {
    const api = new InMemoryScriptApi();
    const order: string[] = [];
    const appendLogs = api.appendLogs.bind(api);
    const postEvent = api.postEvent.bind(api);
    api.appendLogs = (jobId, lines) => (
      order.push(`logs:${lines.join(',')}`),
      appendLogs(jobId, lines)
    );
    api.postEvent = (event) => (order.push(event.type), postEvent(event));
    await runBuild({ default: action('a', (job) => job.log('last words')) }, deps(api));
    expect(order.slice(-3)).toEqual(['logs:last words', 'job.ended', 'script.ended']);
  });

  it('posts nothing for a timed-out action that goes on logging after its end', async () => {
    const api = new InMemoryScriptApi();
    const stubborn = action(
      'stubborn',
      async (job) => {
        job.log('working');
        await new Promise((resolve) => setTimeout(resolve, 1_200));
        job.log('still here');
      },
      { timeout: 1 },
    );
    const outcome = await runBuild({ default: stubborn }, deps(api));
    expect(outcome.jobs[0]?.status).toBe('timed_out');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(api.linesOf('stubborn')).toEqual(['working']);
  });

  it('retries a failed container job with the next attempt number', async () => {
    let calls = 0;
    const api = new InMemoryScriptApi({}, undefined, (_id, request) => {
      calls += 1;
      return calls === 1 ? answer(request, 'failure', 1) : answer(request, 'success', 0);
    });
    const outcome = await runBuild(
      { default: container('flaky', { image: 'alpine', command: ['x'], retries: 1 }) },
      deps(api),
    );
    expect(outcome.status).toBe('success');
    expect(api.runs.map((run) => run.request.attempt)).toEqual([1, 2]);
    expect(api.runs[0]?.request.retries).toBe(1);
    expect(timeline(api)).toContain('job.started:flaky:2');
  });

  it('fails the build and skips dependents when a container job fails', async () => {
    const api = new InMemoryScriptApi({}, undefined, (_id, request) =>
      answer(request, 'failure', 3),
    );
    const jobs = [
      container('a', { image: 'alpine', command: ['false'] }),
      action('b', () => undefined, { dependsOn: ['a'] }),
    ];
    const outcome = await runBuild({ default: jobs }, deps(api));
    expect(outcome.status).toBe('failure');
    expect(api.events).toContainEqual(
      expect.objectContaining({
        type: 'job.ended',
        jobId: 'a',
        status: 'failure',
        exitCode: 3,
        attempts: 1,
      }),
    );
    expect(api.events).toContainEqual(
      expect.objectContaining({
        type: 'job.ended',
        jobId: 'b',
        status: 'skipped',
        attempts: 0,
        message: 'Its dependency "a" ended failure.',
      }),
    );
    expect(timeline(api).at(-1)).toBe('script.ended:failure');
  });

  it('errors before any job runs on a bad graph, naming the jobs', async () => {
    const api = new InMemoryScriptApi();
    const jobs = [
      container('a', { image: 'alpine', command: ['x'], dependsOn: ['b'] }),
      container('b', { image: 'alpine', command: ['x'], dependsOn: ['a'] }),
    ];
    const outcome = await runBuild({ default: jobs }, deps(api));
    expect(outcome).toMatchObject({
      status: 'error',
      message: expect.stringContaining('cycle: a → b → a') as string,
    });
    expect(api.runs).toEqual([]);
    expect(api.events).toEqual([
      expect.objectContaining({ type: 'script.ended', status: 'error', message: outcome.message }),
    ]);
  });

  it('errors when the script throws while loading', async () => {
    const api = new InMemoryScriptApi();
    const outcome = await runBuild(() => {
      throw new Error('Cannot find module ./config');
    }, deps(api));
    expect(outcome).toMatchObject({
      status: 'error',
      message: 'The build script threw while loading: Cannot find module ./config',
    });
    expect(timeline(api)).toEqual(['script.ended:error']);
  });

  it('passes the build context to a dynamic pipeline loaded from a module', async () => {
    const api = new InMemoryScriptApi();
    const outcome = await runBuild(
      () => ({
        default: pipeline(async (ctx) =>
          Promise.resolve(ctx.git.changedFiles.map((_, i) => action(`file-${i}`, () => undefined))),
        ),
      }),
      deps(api),
    );
    expect(outcome.jobs.map((job) => job.jobId)).toEqual(['file-0']);
  });

  it('reports a canceled build as canceled', async () => {
    const controller = new AbortController();
    const api = new InMemoryScriptApi();
    setTimeout(() => controller.abort(), 30);
    const hang = action(
      'hang',
      (job) =>
        new Promise<void>((resolve) => job.signal.addEventListener('abort', () => resolve())),
    );
    const outcome = await runBuild(
      { default: [hang, action('later', () => undefined, { dependsOn: ['hang'] })] },
      deps(api, controller.signal),
    );
    expect(outcome.status).toBe('canceled');
    const ended = timeline(api).slice(-3);
    expect(ended.pop()).toBe('script.ended:canceled');
    expect(ended.sort()).toEqual(['job.ended:hang:canceled', 'job.ended:later:canceled']);
  });

  it('runs at most GIBBON_MAX_PARALLEL jobs at once', async () => {
    const context = { ...testContext(), env: { GIBBON_MAX_PARALLEL: '2' } };
    const api = new InMemoryScriptApi({}, context);
    let running = 0;
    let most = 0;
    const busy = (id: string) =>
      action(id, async () => {
        running += 1;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 20));
        running -= 1;
      });
    await runBuild({ default: ['a', 'b', 'c', 'd', 'e'].map(busy) }, deps(api));
    expect(most).toBe(2);
  });

  it('turns a runner that stops accepting events into a build error', async () => {
    const api = new InMemoryScriptApi();
    api.postEvent = () =>
      Promise.reject(new Error('POST /v1/events answered 422: event after script.ended'));
    const outcome = await runBuild({ default: action('a', () => undefined) }, deps(api));
    expect(outcome).toMatchObject({
      status: 'error',
      message: expect.stringContaining('answered 422') as string,
    });
  });
});

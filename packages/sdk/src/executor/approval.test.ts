import { testContext } from '../../test/context';
import { FakeContainerRunner } from '../../test/fake-runner';
import { InMemoryJobApi } from '../../test/fake-job-api';
import { container, type Job, type JobOptions } from '../jobs';
import { executeJobs } from './execute';
import type { ApprovalOutcome, Approvals, ExecuteOptions, ExecutorEvent } from './types';

const ctx = testContext();

function box(id: string, options: JobOptions = {}): Job {
  return container(id, { image: 'alpine:3', command: ['true'], ...options });
}

/** Decisions given by the test, job by job, as a person would through the API. */
class HeldApprovals implements Approvals {
  readonly asked: string[] = [];
  private readonly waiting = new Map<string, (outcome: ApprovalOutcome) => void>();

  wait(jobId: string, signal: AbortSignal): Promise<ApprovalOutcome> {
    this.asked.push(jobId);
    return new Promise((resolve, reject) => {
      this.waiting.set(jobId, resolve);
      signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
    });
  }

  async decide(jobId: string, outcome: Omit<ApprovalOutcome, 'at'>): Promise<void> {
    while (!this.waiting.has(jobId)) await new Promise((resolve) => setTimeout(resolve, 1));
    this.waiting.get(jobId)!({ at: '2026-12-07T10:00:00.000Z', ...outcome });
  }
}

function start(jobs: readonly Job[], options: Partial<ExecuteOptions> = {}) {
  const backend = new FakeContainerRunner({ build: { ms: 20 } });
  const events: ExecutorEvent[] = [];
  const running = executeJobs(jobs, {
    ctx,
    backend,
    maxParallel: 1,
    onEvent: (event) => events.push(event),
    createJobApi: (job, signal, outputs) => new InMemoryJobApi(job.id, ctx, signal, outputs),
    ...options,
  });
  return { running, events, backend };
}

const typesOf = (events: ExecutorEvent[], jobId: string) =>
  events.filter((event) => event.jobId === jobId).map((event) => event.type);

describe('jobs marked approval', () => {
  it('wait without a slot, then run once approved', async () => {
    const approvals = new HeldApprovals();
    const jobs = [box('deploy', { approval: true }), box('build')];
    const { running, events, backend } = start(jobs, { approvals });
    // maxParallel is 1, yet `build` runs while `deploy` waits.
    while (!backend.started.includes('build')) await new Promise((r) => setTimeout(r, 1));
    expect(backend.started).toEqual(['build']);
    await approvals.decide('deploy', { decision: 'approved', by: 'release-manager' });
    const result = await running;
    expect(result.status).toBe('success');
    expect(backend.started).toEqual(['build', 'deploy']);
    expect(typesOf(events, 'deploy')).toEqual([
      'job.pending',
      'job.waiting',
      'job.queued',
      'job.started',
      'job.ended',
    ]);
  });

  it('wait only once their dependencies succeeded', async () => {
    const approvals = new HeldApprovals();
    const jobs = [box('build'), box('deploy', { approval: true, dependsOn: ['build'] })];
    const { running, events } = start(jobs, { approvals });
    await approvals.decide('deploy', { decision: 'approved', by: 'a' });
    await running;
    const order = events.map((event) => `${event.type} ${event.jobId}`);
    expect(order.indexOf('job.waiting deploy')).toBeGreaterThan(order.indexOf('job.ended build'));
  });

  it('are skipped with who rejected them and why, and so are their dependents', async () => {
    const approvals = new HeldApprovals();
    const jobs = [box('deploy', { approval: true }), box('announce', { dependsOn: ['deploy'] })];
    const { running, backend } = start(jobs, { approvals });
    await approvals.decide('deploy', {
      decision: 'rejected',
      by: 'release-manager',
      comment: 'Not on a Friday',
    });
    const result = await running;
    expect(backend.started).toEqual([]);
    expect(result.jobs).toEqual([
      expect.objectContaining({
        jobId: 'deploy',
        status: 'skipped',
        attempts: 0,
        message: 'Rejected by release-manager at 2026-12-07T10:00:00.000Z: Not on a Friday',
      }),
      expect.objectContaining({
        jobId: 'announce',
        status: 'skipped',
        message: 'Its dependency "deploy" ended skipped.',
      }),
    ]);
  });

  it('ask no one when their when() is false', async () => {
    const approvals = new HeldApprovals();
    let asked = 0;
    const when = () => {
      asked += 1;
      return false;
    };
    const { running, events } = start([box('deploy', { approval: true, when })], { approvals });
    const result = await running;
    expect(result.jobs[0]).toMatchObject({
      status: 'skipped',
      message: 'Its when() condition was false.',
    });
    expect(approvals.asked).toEqual([]);
    expect(typesOf(events, 'deploy')).toEqual(['job.pending', 'job.ended']);
    expect(asked).toBe(1);
  });

  it('ask when() once, before waiting, not again once approved', async () => {
    const approvals = new HeldApprovals();
    let asked = 0;
    const when = () => {
      asked += 1;
      return true;
    };
    const { running } = start([box('deploy', { approval: true, when })], { approvals });
    await approvals.decide('deploy', { decision: 'approved', by: 'a' });
    expect((await running).jobs[0]?.status).toBe('success');
    expect(asked).toBe(1);
  });

  it('end canceled when the build is canceled while they wait', async () => {
    const approvals = new HeldApprovals();
    const cancel = new AbortController();
    const { running } = start([box('deploy', { approval: true })], {
      approvals,
      signal: cancel.signal,
    });
    while (approvals.asked.length === 0) await new Promise((r) => setTimeout(r, 1));
    cancel.abort();
    const result = await running;
    expect(result.status).toBe('canceled');
    expect(result.jobs[0]).toMatchObject({ status: 'canceled', attempts: 0 });
  });

  it('end error, saying why, where nothing can approve them', async () => {
    const { running } = start([box('deploy', { approval: true })]);
    expect((await running).jobs[0]).toMatchObject({
      status: 'error',
      message: 'It waits for approval (approval: true), but nothing here can approve it.',
    });
  });

  it('end error when the decision cannot be had', async () => {
    const approvals: Approvals = { wait: () => Promise.reject(new Error('the runner is gone')) };
    const { running } = start([box('deploy', { approval: true })], { approvals });
    expect((await running).jobs[0]).toMatchObject({
      status: 'error',
      message: 'Its approval could not be had: the runner is gone',
    });
  });
});

/**
 * One job from the moment its dependencies have succeeded: the `when` predicate, then attempts
 * until one succeeds, the retries are used up, or the job ends in a way retries don't cover
 * (skipped, canceled, timed out).
 */
import type { BuildContext } from '../context';
import type { Job } from '../jobs';
import { messageOf } from '../message-of';
import { type AttemptDeps, type AttemptOutcome, runAttempt } from './attempt';
import type { ExecutorEvent, JobResult } from './types';

export interface RunJobDeps extends AttemptDeps {
  readonly ctx: BuildContext;
  readonly emit: (event: ExecutorEvent) => void;
}

const retried = new Set<string>(['failure', 'error']);

export async function whenAllows(job: Job, ctx: BuildContext): Promise<AttemptOutcome | undefined> {
  if (!job.when) return undefined;
  try {
    return (await job.when(ctx))
      ? undefined
      : { status: 'skipped', message: 'Its when() condition was false.' };
  } catch (error) {
    return { status: 'error', message: `Its when() condition threw: ${messageOf(error)}` };
  }
}

/**
 * Runs `job` to its end and returns its result; never rejects. A job marked `approval` had its
 * `when` checked before it waited (`awaitApproval`), so it is not asked again.
 */
export async function runJob(job: Job, deps: RunJobDeps): Promise<JobResult> {
  const notRun = job.approval ? undefined : await whenAllows(job, deps.ctx);
  if (notRun) return { jobId: job.id, ...notRun, attempts: 0, endedAt: new Date().toISOString() };

  const startedAt = new Date().toISOString();
  deps.emit({ type: 'job.started', jobId: job.id, attempt: 1, startedAt });
  const maxAttempts = 1 + (job.retries ?? 0);
  let attempt = 1;
  let outcome = await runAttempt(job, attempt, deps);
  while (retried.has(outcome.status) && attempt < maxAttempts && !deps.buildSignal.aborted) {
    attempt += 1;
    deps.emit({
      type: 'job.retrying',
      jobId: job.id,
      attempt,
      previousStatus: outcome.status,
      ...(outcome.message === undefined ? {} : { message: outcome.message }),
    });
    deps.emit({ type: 'job.started', jobId: job.id, attempt, startedAt: new Date().toISOString() });
    outcome = await runAttempt(job, attempt, deps);
  }
  return {
    jobId: job.id,
    ...outcome,
    attempts: attempt,
    startedAt,
    endedAt: new Date().toISOString(),
  };
}

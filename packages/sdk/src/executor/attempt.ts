/**
 * One attempt of one job: its own AbortSignal (aborted by the build's signal or by the job's
 * timeout), the container backend or the action function, and the mapping of what happened to
 * a job status.
 */
import type { ActionJob, ContainerJob, Job } from '../jobs';
import { jobTimedOutMessage } from '../contracts';
import { isSkipSignal } from '../job-api/skip';
import { messageOf } from '../message-of';
import { withOutputsInEnv } from './output-env';
import type { OutputBoard } from './outputs';
import type { ContainerJobRunner, FinalJobStatus, JobApiFactory } from './types';

export interface AttemptOutcome {
  readonly status: FinalJobStatus;
  readonly exitCode?: number;
  readonly message?: string;
  readonly outputs?: Readonly<Record<string, string>>;
}

export interface AttemptDeps {
  readonly backend: ContainerJobRunner;
  readonly createJobApi: JobApiFactory;
  readonly buildSignal: AbortSignal;
  readonly outputs: OutputBoard;
  readonly addJobs: (jobs: readonly Job[]) => void;
}

async function runContainerJob(
  job: ContainerJob,
  attempt: number,
  signal: AbortSignal,
  deps: AttemptDeps,
): Promise<AttemptOutcome> {
  let resolved: ContainerJob;
  try {
    resolved = withOutputsInEnv(job, deps.outputs);
  } catch (error) {
    return { status: 'error', message: messageOf(error) };
  }
  try {
    return await deps.backend.runContainer(resolved, { signal, attempt });
  } catch (error) {
    return { status: 'error', message: `The container backend failed: ${messageOf(error)}` };
  }
}

/** Settles when `signal` aborts; the action's own promise may go on, but the job has ended. */
function abortion(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
  });
}

async function runActionJob(
  job: ActionJob,
  signal: AbortSignal,
  deps: AttemptDeps,
): Promise<AttemptOutcome> {
  const outputs = deps.outputs.collector();
  const hooks = { ...outputs, addJobs: deps.addJobs };
  const run = Promise.resolve().then(() => job.fn(deps.createJobApi(job, signal, hooks)));
  // An action that ignores its signal keeps running detached; its late rejection is dropped.
  run.catch(() => undefined);
  try {
    await Promise.race([run, abortion(signal)]);
    const collected = outputs.collected();
    return Object.keys(collected).length > 0
      ? { status: 'success', outputs: collected }
      : { status: 'success' };
  } catch (error) {
    if (isSkipSignal(error)) return { status: 'skipped', message: error.reason };
    if (signal.aborted) return { status: 'canceled', message: messageOf(signal.reason) };
    const exitCode = (error as { exitCode?: unknown }).exitCode;
    const message = messageOf(error);
    return typeof exitCode === 'number'
      ? { status: 'failure', exitCode, message }
      : { status: 'failure', message };
  }
}

/** Runs one attempt of `job`; never rejects. */
export async function runAttempt(
  job: Job,
  attempt: number,
  deps: AttemptDeps,
): Promise<AttemptOutcome> {
  const controller = new AbortController();
  const cancel = () => controller.abort(new Error('The build was canceled.'));
  deps.buildSignal.addEventListener('abort', cancel, { once: true });
  if (deps.buildSignal.aborted) cancel();
  // One owner of a job's timeout: the runner times a container job (the job carries `timeout`,
  // and the runner stops the container and answers `timed_out`); this timer, an action job.
  let timedOut = false;
  const timeout = job.kind === 'action' ? job.timeout : undefined;
  const timer =
    timeout === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          controller.abort(new Error(jobTimedOutMessage(timeout)));
        }, timeout * 1000);
  try {
    const outcome =
      job.kind === 'container'
        ? await runContainerJob(job, attempt, controller.signal, deps)
        : await runActionJob(job, controller.signal, deps);
    if (outcome.status === 'success' || outcome.status === 'skipped') return outcome;
    if (timedOut && timeout !== undefined) {
      return { ...outcome, status: 'timed_out', message: jobTimedOutMessage(timeout) };
    }
    if (deps.buildSignal.aborted)
      return { ...outcome, status: 'canceled', message: 'The build was canceled.' };
    return outcome;
  } finally {
    clearTimeout(timer);
    deps.buildSignal.removeEventListener('abort', cancel);
  }
}

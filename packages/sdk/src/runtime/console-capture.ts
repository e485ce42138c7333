/**
 * Sends `console.log` (and info/warn/error/debug) called inside an action job to that job's
 * log instead of the script's output. The job is found through AsyncLocalStorage, so parallel
 * actions each keep their own lines; outside an action, console writes go where they always did.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ActionJob, Job } from '../jobs';
import { formatLogLine, type LogSink } from '../job-api/job-log';

const currentJobLog = new AsyncLocalStorage<LogSink>();
const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;

/** Wraps each action so everything it runs (sync or async) sees its job's log. */
export function withJobConsoles(jobs: readonly Job[], logOf: (jobId: string) => LogSink): Job[] {
  return jobs.map((job) => {
    if (job.kind !== 'action') return job;
    const wrapped: ActionJob = {
      ...job,
      fn: (api) => currentJobLog.run(logOf(job.id), () => job.fn(api)),
    };
    return wrapped;
  });
}

/** Replaces the console methods for the rest of the process; returns the undo. */
export function installConsoleCapture(): () => void {
  // Unbound, so the undo puts back the very functions that were there (a test framework's).
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const originals = methods.map((method) => console[method]);
  methods.forEach((method, index) => {
    const original = originals[index] as (...values: unknown[]) => void;
    console[method] = (...values: unknown[]): void => {
      const log = currentJobLog.getStore();
      if (log) log.write(formatLogLine(values));
      else original.apply(console, values);
    };
  });
  return () =>
    methods.forEach((method, index) => {
      console[method] = originals[index] as (...values: unknown[]) => void;
    });
}

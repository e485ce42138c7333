import type { ExecutedBuildStatus, JobResult } from './types';

/**
 * The build's status from its jobs: `canceled` when the build was canceled (or the runner
 * canceled one of its jobs: the build did not run to its end), else `error` if a job errored,
 * `failure` if a job failed or timed out, otherwise `success` (skipped jobs don't fail a
 * build: they follow from another job's status or from the script's own choice).
 */
export function buildStatusOf(
  results: readonly JobResult[],
  canceled: boolean,
): ExecutedBuildStatus {
  if (canceled || results.some((r) => r.status === 'canceled')) return 'canceled';
  if (results.some((r) => r.status === 'error')) return 'error';
  if (results.some((r) => r.status === 'failure' || r.status === 'timed_out')) return 'failure';
  return 'success';
}

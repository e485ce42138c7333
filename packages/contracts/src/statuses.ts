/**
 * Build and job statuses (spec section 2). The OpenAPI documents hold the same lists as the
 * `BuildStatus`, `JobStatus`, `BuildEndStatus` and `JobEndStatus` enums; a contract test keeps
 * them equal.
 */

export const BUILD_STATUSES = [
  'queued',
  'running',
  'success',
  'failure',
  'error',
  'canceled',
  'timed_out',
] as const;
export type BuildStatus = (typeof BUILD_STATUSES)[number];

export const JOB_STATUSES = [
  'pending',
  'waiting',
  'queued',
  'running',
  'success',
  'failure',
  'error',
  'skipped',
  'canceled',
  'timed_out',
] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** The statuses a build ends with; once a build has one, it never changes again. */
export const TERMINAL_BUILD_STATUSES = [
  'success',
  'failure',
  'error',
  'canceled',
  'timed_out',
] as const satisfies readonly BuildStatus[];
export type TerminalBuildStatus = (typeof TERMINAL_BUILD_STATUSES)[number];

/** The statuses a job ends with; `skipped` is one, since a skipped job never runs later. */
export const TERMINAL_JOB_STATUSES = [
  'success',
  'failure',
  'error',
  'skipped',
  'canceled',
  'timed_out',
] as const satisfies readonly JobStatus[];
export type TerminalJobStatus = (typeof TERMINAL_JOB_STATUSES)[number];

const terminalBuildStatuses: ReadonlySet<string> = new Set(TERMINAL_BUILD_STATUSES);
const terminalJobStatuses: ReadonlySet<string> = new Set(TERMINAL_JOB_STATUSES);

export function isTerminalBuildStatus(status: BuildStatus): status is TerminalBuildStatus {
  return terminalBuildStatuses.has(status);
}

export function isTerminalJobStatus(status: JobStatus): status is TerminalJobStatus {
  return terminalJobStatuses.has(status);
}

export function isBuildStatus(value: unknown): value is BuildStatus {
  return typeof value === 'string' && (BUILD_STATUSES as readonly string[]).includes(value);
}

export function isJobStatus(value: unknown): value is JobStatus {
  return typeof value === 'string' && (JOB_STATUSES as readonly string[]).includes(value);
}

/**
 * The one wording of a job's `timed_out`, whoever enforces the timeout: the runner for a
 * container job (it stops the container), the script's executor for an action job.
 */
export function jobTimedOutMessage(timeoutSeconds: number): string {
  return `The job timed out after ${timeoutSeconds} s.`;
}

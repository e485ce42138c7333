import type { BuildStatus } from '@gibbon/contracts';

/** The `state` of GitHub's commit status API. */
export type GithubCommitState = 'pending' | 'success' | 'failure' | 'error';

/**
 * How a build status shows on GitHub. `failure` says "the code did not pass": a failed job, and
 * also a build that ran out of time, since the code under test ran and did not finish (GitHub
 * Actions reports a timed-out run the same way). `error` says "no verdict on the code": the
 * script or the infrastructure broke, or someone canceled the build, so a rerun may pass as is.
 */
const stateByBuildStatus = {
  queued: 'pending',
  running: 'pending',
  success: 'success',
  failure: 'failure',
  timed_out: 'failure',
  error: 'error',
  canceled: 'error',
} as const satisfies Record<BuildStatus, GithubCommitState>;

/** What the status says next to the check when the caller gives no description of its own. */
const descriptionByBuildStatus = {
  queued: 'The build is queued.',
  running: 'The build is running.',
  success: 'The build succeeded.',
  failure: 'The build failed.',
  timed_out: 'The build timed out.',
  error: 'The build could not run to the end (script or infrastructure error).',
  canceled: 'The build was canceled.',
} as const satisfies Record<BuildStatus, string>;

export function githubStateOf(status: BuildStatus): GithubCommitState {
  return stateByBuildStatus[status];
}

export function defaultDescriptionOf(status: BuildStatus): string {
  return descriptionByBuildStatus[status];
}

import type { BuildContext } from './api-types';

/**
 * The variables a job sees besides its own `env`: the build context's `env` (the build's
 * facts, never a secret: `CI`, `GIBBON_BUILD_NUMBER`, `GIBBON_COMMIT`, … as the runner, or
 * `gibbon run` for a local build, made them) and `GIBBON_JOB_ID`. The engine puts them in
 * every container job's environment, the SDK in every `job.sh` of an action job; a job's own
 * `env` may set any of them differently.
 */
export function jobEnvOf(
  context: { readonly env: Readonly<BuildContext['env']> },
  jobId: string,
): Record<string, string> {
  return { ...context.env, GIBBON_JOB_ID: jobId };
}

/** The number of the pull request a ref belongs to (`refs/pull/7/head` → `7`). */
export function pullRequestOfRef(ref: string): string | undefined {
  return /^refs\/pull\/(\d+)\//.exec(ref)?.[1];
}

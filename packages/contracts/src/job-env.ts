import type { BuildContext } from './api-types';

/** What of the build context the standard variables come from (read-only views fit too). */
interface JobEnvContext {
  readonly build: Pick<BuildContext['build'], 'id' | 'number'>;
  readonly repo: Pick<BuildContext['repo'], 'org' | 'name'>;
  readonly git: Pick<BuildContext['git'], 'ref' | 'branch' | 'tag' | 'commit'>;
}

/**
 * The variables every job sees, container and action alike: `CI=true` (what tools check to
 * behave as on a CI server), `GIBBON=true`, and the build's facts. A variable without a value
 * in this build (no tag on a branch build, no pull request) is left out rather than empty.
 * A job's own `env` may set any of them differently.
 */
export function standardJobEnv(context: JobEnvContext, jobId: string): Record<string, string> {
  const { build, repo, git } = context;
  const pullRequest = /^refs\/pull\/(\d+)\//.exec(git.ref)?.[1];
  return {
    CI: 'true',
    GIBBON: 'true',
    GIBBON_BUILD_ID: build.id,
    GIBBON_BUILD_NUMBER: String(build.number),
    GIBBON_REPO: `${repo.org}/${repo.name}`,
    GIBBON_JOB_ID: jobId,
    // The build script runs after checkout: the commit is always known by then.
    GIBBON_COMMIT: git.commit,
    ...(git.branch ? { GIBBON_BRANCH: git.branch } : {}),
    ...(git.tag ? { GIBBON_TAG: git.tag } : {}),
    ...(pullRequest ? { GIBBON_PULL_REQUEST: pullRequest } : {}),
  };
}

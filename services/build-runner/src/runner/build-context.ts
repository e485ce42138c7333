import {
  pullRequestOfRef,
  type BuildContext,
  type CheckedOutCommit,
  type Claim,
} from '@gibbon/contracts';

/**
 * The build context the script sees (spec section 2): the claim's build and repository, with
 * the commit as checked out. `env` holds build facts only, never a secret.
 */
export function buildContextOf(claim: Claim, checkedOut: CheckedOutCommit): BuildContext {
  const { build, repo } = claim;
  const changedFiles =
    build.git.changedFiles.length > 0 ? build.git.changedFiles : checkedOut.changedFiles;
  const env: Record<string, string> = {
    CI: 'true',
    GIBBON: 'true',
    GIBBON_BUILD_ID: build.id,
    GIBBON_BUILD_NUMBER: String(build.number),
    GIBBON_ORG: repo.org,
    GIBBON_REPO: repo.name,
    GIBBON_COMMIT: checkedOut.commit,
    GIBBON_REF: build.git.ref,
  };
  if (build.git.branch !== null) env.GIBBON_BRANCH = build.git.branch;
  if (build.git.tag !== null) env.GIBBON_TAG = build.git.tag;
  const pullRequest = pullRequestOfRef(build.git.ref);
  if (pullRequest !== undefined) env.GIBBON_PULL_REQUEST = pullRequest;
  const reuse =
    build.reusedJobs && build.retryOf !== null
      ? {
          reuse: {
            fromBuild: build.retryOf,
            jobs: [...build.reusedJobs],
            artifactsFrom: claim.reusedFrom ? [...claim.reusedFrom] : [build.retryOf],
            ...(claim.reusedOutputs ? { outputs: claim.reusedOutputs } : {}),
          },
        }
      : {};
  return {
    build: {
      id: build.id,
      number: build.number,
      source: build.source,
      trusted: build.trusted,
      ...reuse,
    },
    repo: {
      org: repo.org,
      name: repo.name,
      url: repo.url,
      mainBranch: repo.mainBranch,
      labels: repo.labels,
    },
    git: {
      url: repo.url,
      ref: build.git.ref,
      branch: build.git.branch,
      tag: build.git.tag,
      commit: checkedOut.commit,
      message: checkedOut.message,
      author: checkedOut.author,
      changedFiles,
      pullRequest: build.git.pullRequest && { ...build.git.pullRequest },
    },
    // The SDK checks them against the pipeline's declaration before any job runs.
    ...(build.inputs && { inputs: { ...build.inputs } }),
    env,
  };
}

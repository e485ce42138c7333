import picomatch from 'picomatch';
import type { Repo } from '../domain';
import type { GitFacts } from './build';

const PULL_REQUEST_REF = /^refs\/pull\/(\d+)\//;

/**
 * The concurrency group of a build of `repo` (services/public-api/README.md, "Concurrency"):
 * one per pull request, else one per branch; `null` under `parallel` and for tag and commit
 * builds, which never wait for one another.
 */
export function concurrencyGroupOf(repo: Repo, git: GitFacts): string | null {
  if ((repo.concurrency.mode ?? 'parallel') === 'parallel') return null;
  const pullRequest = PULL_REQUEST_REF.exec(git.ref);
  if (pullRequest) return `pull_request:${pullRequest[1]}`;
  if (git.tag !== null || git.branch === null) return null;
  return `branch:${git.branch}`;
}

/** Whether a new build of `git` cancels the older builds of its group. */
export function supersedesOlder(repo: Repo, git: GitFacts): boolean {
  if (repo.concurrency.mode !== 'cancel-previous') return false;
  if (PULL_REQUEST_REF.test(git.ref)) return true;
  const protectedBranches = repo.concurrency.protectedBranches;
  if (git.branch === null || protectedBranches === undefined) return true;
  return !picomatch([...protectedBranches], { dot: true })(git.branch);
}

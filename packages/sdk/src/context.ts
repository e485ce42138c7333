/**
 * The build context a build script receives (spec section 2): what is being built, from which
 * repository and commit. It is read-only data fetched once from `GET /v1/build`.
 */

/** Where a build came from: a push, a pull request, a manual trigger, a retry or a local run. */
export type BuildSource = 'push' | 'pull_request' | 'manual' | 'retry' | 'local';

export interface BuildInfo {
  readonly id: string;
  readonly number: number;
  readonly source: BuildSource;
  /** False for pull requests from forks: no parameters, caches restored but never written. */
  readonly trusted: boolean;
}

export interface RepoInfo {
  readonly org: string;
  readonly name: string;
  /** The clone URL stored with the repository. */
  readonly url: string;
  readonly mainBranch: string;
  readonly labels: readonly string[];
}

export interface GitInfo {
  readonly url: string;
  /** The full ref, e.g. `refs/heads/main` or `refs/tags/v1.2.0`. */
  readonly ref: string;
  /** Set when the ref is a branch, otherwise undefined. */
  readonly branch?: string;
  /** Set when the ref is a tag, otherwise undefined. */
  readonly tag?: string;
  readonly commit: string;
  readonly message: string;
  readonly author: string;
  /** Paths changed by the commit(s) being built, relative to the checkout. */
  readonly changedFiles: readonly string[];
}

export interface BuildContext {
  readonly build: BuildInfo;
  readonly repo: RepoInfo;
  readonly git: GitInfo;
  /** Plain (non-secret) variables the runner passes to the build. */
  readonly env: Readonly<Record<string, string>>;
}

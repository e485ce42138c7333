import type {
  BuildInputs,
  BuildSource,
  BuildStatus,
  GitAuthor,
  JobKind,
  JobStatus,
  PullRequestInfo,
} from '@gibbon/contracts';

/**
 * A build as the build side sees it. Git facts are kept byte for byte as received (webhook or
 * checkout): they are data for JSON answers and argv/env, never for a shell, a path or a key.
 */
export interface GitFacts {
  readonly ref: string;
  readonly branch: string | null;
  readonly tag: string | null;
  readonly commit: string | null;
  readonly message: string | null;
  readonly author: GitAuthor | null;
  readonly changedFiles: readonly string[];
  /**
   * The pull request of a `pull_request` build, from its delivery; a retry keeps it. `null` for
   * every other build.
   */
  readonly pullRequest: PullRequestInfo | null;
}

export interface Build {
  readonly id: string;
  readonly repoId: string;
  readonly org: string;
  readonly repo: string;
  readonly number: number;
  readonly status: BuildStatus;
  readonly source: BuildSource;
  readonly trusted: boolean;
  readonly git: GitFacts;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly message: string | null;
  readonly retryOf: number | null;
  /** A re-run of failed jobs only: the jobs of `retryOf` that succeeded, not run again. */
  readonly reusedJobs: readonly string[] | null;
  readonly cancelRequested: boolean;
  /** How many times runners claimed it; a lost lease re-queues once, then fails the build. */
  readonly claims: number;
  /** Trigger parameters sealed with the org data key (manual triggers only), or `null`. */
  readonly paramsSealed: string | null;
  /** Its concurrency group (`branch:main`, `pull_request:7`), or `null` for none. */
  readonly concurrencyGroup: string | null;
  /** The pipeline inputs a manual trigger gave (kept by its retries), or `null` for none. */
  readonly inputs: BuildInputs | null;
}

export interface Job {
  readonly id: string;
  readonly kind: JobKind;
  readonly status: JobStatus;
  readonly exitCode: number | null;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly dependsOn: readonly string[];
  readonly message: string | null;
  /** Set on a job marked for approval once it waited: the decision, who made it and when. */
  readonly approval?: JobApproval;
  /** The named values the job set, once it set any. */
  readonly outputs?: Readonly<Record<string, string>>;
}

export interface JobApproval {
  readonly decision: 'pending' | 'approved' | 'rejected';
  readonly by: string | null;
  readonly at: string | null;
  readonly comment: string | null;
}

export interface BuildWithJobs extends Build {
  readonly jobs: readonly Job[];
}

/** What a new build is made of; the number, id and timestamps are the repository's to assign. */
export interface NewBuild {
  readonly repoId: string;
  readonly org: string;
  readonly repo: string;
  readonly source: BuildSource;
  readonly trusted: boolean;
  readonly git: GitFacts;
  readonly retryOf: number | null;
  readonly reusedJobs?: readonly string[];
  readonly paramsSealed: string | null;
  readonly concurrencyGroup: string | null;
  readonly inputs?: BuildInputs | null;
}

export const finalBuildStatuses: ReadonlySet<BuildStatus> = new Set([
  'success',
  'failure',
  'error',
  'canceled',
  'timed_out',
]);

export function isFinished(build: Pick<Build, 'status'>): boolean {
  return finalBuildStatuses.has(build.status);
}

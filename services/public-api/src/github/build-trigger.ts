import { createHash } from 'node:crypto';
import type { GitAuthor } from '@gibbon/contracts';

/** The GitHub events that make builds; they become the build's `source`. */
export type TriggerEvent = 'push' | 'pull_request';

/** What a pull request adds to a build's git facts. */
export interface PullRequestFacts {
  readonly number: number;
  readonly title: string;
  /** The head repository's `owner/name`; `null` when GitHub no longer knows it (a deleted fork). */
  readonly headRepo: string | null;
  /** The branch the changes come from, in `headRepo`. */
  readonly headBranch: string;
  /** The branch the pull request wants to merge into, in the base repository. */
  readonly baseBranch: string;
  /** True when the head repository is not the base repository (a fork, or a deleted one). */
  readonly fork: boolean;
}

/**
 * What a build records from a GitHub delivery. Every string is GitHub's (or a forger's, if the
 * webhook secret leaked) and is kept byte for byte: consumers pass it on as data (argv, env,
 * JSON), never into a shell string, a path or a storage key.
 */
export interface BuildTrigger {
  readonly event: TriggerEvent;
  /**
   * The payload's `repository.full_name` (`owner/name`), for matching the stored repository.
   * The clone URL always comes from the stored repository, never from the payload.
   */
  readonly githubRepo: string;
  /** The full ref: `refs/heads/main`, `refs/tags/v1.2.0`, or `refs/pull/7/head`. */
  readonly ref: string;
  /**
   * The branch built: the pushed branch, or a pull request's head branch. A pull request build
   * does not claim the base branch, so scripts that gate a release on `branch === mainBranch`
   * stay off for pull requests.
   */
  readonly branch: string | null;
  readonly tag: string | null;
  /** The commit to build: the push's `after`, or the pull request's head commit. */
  readonly commit: string;
  /** The head commit's message; `null` when the delivery does not carry it (pull requests). */
  readonly message: string | null;
  readonly author: GitAuthor | null;
  /**
   * Paths added, modified or removed by the push's commits, each once, in first-seen order.
   * GitHub lists at most 20 commits in a push payload, so a larger push yields a partial list;
   * pull requests carry no file list and yield `[]`.
   */
  readonly changedFiles: readonly string[];
  /**
   * Whether `changedFiles` is every file the push changed, so that path rules may judge it
   * (`trigger-rules.ts`). False for pull requests, for a push that lists no commit (a new
   * branch or tag at an existing commit), for a forced push (what it dropped is not listed)
   * and for one that lists as many commits as the payload may carry.
   */
  readonly changedFilesComplete: boolean;
  readonly pullRequest: PullRequestFacts | null;
  /** False for a pull request whose head repository is not the base repository (a fork). */
  readonly trusted: boolean;
  /** `contentKeyOf(event, githubRepo, ref, commit)`: one build per key, whatever the delivery id. */
  readonly contentKey: string;
}

/**
 * The idempotency key of a delivery's content: the same event for the same repository, ref and
 * commit under another delivery id makes no second build. The repository is compared
 * case-insensitively, as GitHub does. A SHA-256 keeps the key short whatever the ref's length,
 * and the JSON array keeps `("a/b", "c")` and `("a", "b/c")` apart.
 */
export function contentKeyOf(
  event: TriggerEvent,
  githubRepo: string,
  ref: string,
  commit: string,
): string {
  const identity = JSON.stringify([event, githubRepo.toLowerCase(), ref, commit]);
  return createHash('sha256').update(identity).digest('hex');
}

import { contentKeyOf } from './build-trigger';
import type { DeliveryOutcome } from './delivery-outcome';
import {
  parsePayload,
  closedPullRequestSchema,
  pullRequestActionSchema,
  pullRequestPayloadSchema,
  type PullRequestPayload,
} from './payload-schemas';
import { quoted } from './quoted';

/**
 * The actions that put new code in front of the build: a new pull request, new commits on its
 * head, and a reopened one. Label, review and assignment actions change no code; `closed`
 * (merged or not) cancels the pull request's builds still running (a merge is built from the
 * `push` to the base branch).
 */
const BUILT_ACTIONS: ReadonlySet<string> = new Set(['opened', 'synchronize', 'reopened']);

/**
 * A `pull_request` of a built action builds the head commit at `refs/pull/{number}/head`, a ref
 * the base repository holds even for forks, so the clone URL stays the stored repository's.
 * A pull request from another repository (a fork, or a deleted head repository) is untrusted:
 * its code is not the repository owner's, so it must get no parameters and write no caches.
 */
export function interpretPullRequest(payload: unknown): DeliveryOutcome {
  const { action } = parsePayload(pullRequestActionSchema, payload, 'pull_request');
  if (action === 'closed') {
    const closed = parsePayload(closedPullRequestSchema, payload, 'pull_request');
    return {
      kind: 'closed',
      githubRepo: closed.repository.full_name,
      number: closed.number,
      ref: `refs/pull/${closed.number}/head`,
    };
  }
  if (!BUILT_ACTIONS.has(action)) {
    return {
      kind: 'ignored',
      reason: `pull_request action ${quoted(action)} is not built; only opened, synchronize and reopened are`,
    };
  }
  const event = parsePayload(pullRequestPayloadSchema, payload, 'pull_request');
  const { head, base, title } = event.pull_request;
  const githubRepo = event.repository.full_name;
  const ref = `refs/pull/${event.number}/head`;
  return {
    kind: 'build',
    trigger: {
      event: 'pull_request',
      githubRepo,
      ref,
      branch: head.ref,
      tag: null,
      commit: head.sha,
      // The payload names the pull request, not the head commit's message or author; the
      // runner learns those at checkout.
      message: null,
      author: null,
      changedFiles: [],
      changedFilesComplete: false,
      pullRequest: {
        number: event.number,
        title,
        headRepo: head.repo?.full_name ?? null,
        headBranch: head.ref,
        baseBranch: base.ref,
        fork: !isSameRepository(event),
      },
      trusted: isSameRepository(event),
      contentKey: contentKeyOf('pull_request', githubRepo, ref, head.sha),
    },
  };
}

/** By id, which survives renames and transfers, where the `owner/name` would not. */
function isSameRepository(event: PullRequestPayload): boolean {
  const { head, base } = event.pull_request;
  return head.repo !== null && head.repo.id === base.repo.id;
}

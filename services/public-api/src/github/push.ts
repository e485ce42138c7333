import type { GitAuthor } from '@gibbon/contracts';
import { contentKeyOf } from './build-trigger';
import type { DeliveryOutcome } from './delivery-outcome';
import {
  parsePayload,
  pushPayloadSchema,
  type PushCommit,
  type PushPayload,
} from './payload-schemas';
import { quoted } from './quoted';

const BRANCH_PREFIX = 'refs/heads/';
const TAG_PREFIX = 'refs/tags/';
const ZERO_SHA = /^0+$/;
/**
 * GitHub documents 20 as the most commits a push's `commits` lists in its timeline events, and
 * a larger cap for webhooks; a list this long is taken as possibly cut short.
 */
const MAX_LISTED_COMMITS = 20;

type PushedRef = { kind: 'branch'; name: string } | { kind: 'tag'; name: string };

/**
 * A `push` builds the pushed branch or tag at `after`. A deletion (`deleted`, or an all-zero
 * `after`) builds nothing, nor does a push to a ref that is neither a branch nor a tag
 * (`refs/notes/...`, GitHub's internal refs).
 */
export function interpretPush(payload: unknown): DeliveryOutcome {
  const push = parsePayload(pushPayloadSchema, payload, 'push');
  const pushed = pushedRefOf(push.ref);
  if (!pushed) {
    return { kind: 'ignored', reason: `ref ${quoted(push.ref)} is neither a branch nor a tag` };
  }
  if (push.deleted || ZERO_SHA.test(push.after)) {
    return { kind: 'ignored', reason: `${pushed.kind} ${quoted(pushed.name)} was deleted` };
  }
  const githubRepo = push.repository.full_name;
  const head = push.head_commit ?? null;
  return {
    kind: 'build',
    trigger: {
      event: 'push',
      githubRepo,
      ref: push.ref,
      branch: pushed.kind === 'branch' ? pushed.name : null,
      tag: pushed.kind === 'tag' ? pushed.name : null,
      commit: push.after,
      // `head_commit` is the commit at `after`; without it the runner learns both at checkout.
      message: head?.id === push.after ? head.message : null,
      author: head?.id === push.after ? authorOf(head) : null,
      changedFiles: changedFilesOf(push.commits),
      changedFilesComplete: listsEveryChange(push),
      pullRequest: null,
      trusted: true,
      contentKey: contentKeyOf('push', githubRepo, push.ref, push.after),
    },
  };
}

function pushedRefOf(ref: string): PushedRef | undefined {
  if (ref.startsWith(BRANCH_PREFIX) && ref.length > BRANCH_PREFIX.length) {
    return { kind: 'branch', name: ref.slice(BRANCH_PREFIX.length) };
  }
  if (ref.startsWith(TAG_PREFIX) && ref.length > TAG_PREFIX.length) {
    return { kind: 'tag', name: ref.slice(TAG_PREFIX.length) };
  }
  return undefined;
}

function authorOf(commit: PushCommit): GitAuthor {
  return { name: commit.author.name, email: commit.author.email ?? '' };
}

/** Whether the payload's commits are every commit the push brought, so their files are all it changed. */
function listsEveryChange(push: PushPayload): boolean {
  return push.commits.length > 0 && push.commits.length < MAX_LISTED_COMMITS && !push.forced;
}

/** Every path the commits touched, once, in the order first seen. */
function changedFilesOf(commits: readonly PushCommit[]): string[] {
  const paths = new Set<string>();
  for (const commit of commits) {
    for (const path of [...commit.added, ...commit.modified, ...commit.removed]) paths.add(path);
  }
  return [...paths];
}

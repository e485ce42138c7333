import * as fs from 'node:fs';
import git from 'isomorphic-git';
import { changedFiles } from './changed-files';

/**
 * Depths tried in turn on both the head and the base branch until they share a commit. The last
 * is GitHub's own bound: its compare view (what a pull request's "Files changed" shows) looks
 * at most 250 commits back.
 */
export const MERGE_BASE_DEPTHS = [10, 50, 250] as const;

export interface MergeBaseRequest {
  readonly dir: string;
  /** The pull request's head commit, already fetched. */
  readonly commit: string;
  /** The full ref that holds `commit` (`refs/pull/7/head`), deepened with the base. */
  readonly ref: string;
  /** The pull request's base branch, without `refs/heads/`. */
  readonly baseBranch: string;
  readonly signal: AbortSignal;
  /** Fetches `ref` at `depth` into the checkout, with the build's credentials and host guard. */
  readonly fetch: (ref: string, depth: number) => Promise<string | null>;
}

/**
 * The files a pull request changes, as GitHub's "Files changed" shows them: those that differ
 * between the merge base of head and base and the head commit, so commits merged into the base
 * meanwhile do not count, and every commit of the head branch (not only its last) does.
 * `undefined` when no common commit lies within the bound (or the base branch is gone): the
 * caller then reports the list as not known, which `changed:` rules treat as unknown.
 */
export async function changedSinceMergeBase(
  request: MergeBaseRequest,
): Promise<string[] | undefined> {
  for (const depth of MERGE_BASE_DEPTHS) {
    request.signal.throwIfAborted();
    const baseTip = await request.fetch(`refs/heads/${request.baseBranch}`, depth);
    if (baseTip === null) return undefined;
    await request.fetch(request.ref, depth);
    // isomorphic-git types the answer `any`; it is the list of merge-base commit ids.
    const mergeBases = (await git.findMergeBase({
      fs,
      dir: request.dir,
      oids: [request.commit, baseTip],
    })) as unknown[];
    const [mergeBase] = mergeBases;
    if (typeof mergeBase === 'string') {
      return changedFiles(request.dir, request.commit, [mergeBase]);
    }
  }
  return undefined;
}

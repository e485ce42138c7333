import * as fs from 'node:fs';
import { mkdir } from 'node:fs/promises';
import type { CheckedOutCommit, GitHostAllowlist } from '@gibbon/contracts';
import git from 'isomorphic-git';
import { changedFiles } from './changed-files';
import { changedSinceMergeBase } from './merge-base';
import type { HostResolver } from './fetch-target';
import { guardedGitHttp } from './git-http';
import { maskCredential } from './mask-credentials';

/** The basic-auth user GitHub expects beside an access token. */
const TOKEN_USERNAME = 'x-access-token';

/**
 * Depths tried in turn until the build's commit is in the fetched history: the tip alone
 * (the usual case, a build of a branch head), a recent stretch, then everything (git's own
 * "infinite" depth, as `git fetch --unshallow` sends it).
 */
const DEPTHS = [1, 50, 0x7fffffff] as const;

/** The runner API's limit on a commit message in `build.started`. */
const MAX_MESSAGE_LENGTH = 65_536;

export interface CheckoutRequest {
  /** The clone URL, from the stored repository; carries no credentials. */
  url: string;
  /** The full ref that holds the commit (`refs/heads/main`, `refs/tags/v1`, `refs/pull/7/head`). */
  ref: string;
  /** The exact commit to build; `null` builds the ref's current tip. */
  commit: string | null;
  /** The repository's access token for private clones; only ever handed to `onAuth`. */
  token: string | null;
  /** A build-private folder, empty or not yet there. */
  dir: string;
  signal: AbortSignal;
  /** The hosts a fetch may go to (`RunnerConfig.gitHosts`); checked before every connection. */
  gitHosts: GitHostAllowlist;
  /** How host names are resolved for that check; the system resolver by default. */
  resolveHost?: HostResolver;
  /**
   * A pull request's base branch: its changed files are then counted from the merge base with
   * that branch (`merge-base.ts`), not from the commit's first parent.
   */
  baseBranch?: string | null;
}

/** A clone that failed: the message is git's (credentials masked) and is meant for the user. */
export class CheckoutError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CheckoutError';
  }
}

/**
 * Checks out exactly one commit with isomorphic-git: a single-branch shallow fetch of the
 * ref, deepened until the commit is there, then a detached checkout. The token reaches git
 * only through `onAuth`, so no file of the checkout (`.git/config` included) holds it. Git
 * links (submodules) are not followed; symlinks are written as links, never followed. Every
 * request goes through `guardedGitHttp`: only to allowed git hosts, at addresses checked after
 * resolving their names (the URL is a user's, and the runner sits inside the operator's network).
 */
export async function checkoutCommit(request: CheckoutRequest): Promise<CheckedOutCommit> {
  const { dir, signal } = request;
  try {
    await mkdir(dir, { recursive: true });
    await git.init({ fs, dir, defaultBranch: 'gibbon-build' });
    // The plain URL only: credentials never reach the config (they go through onAuth).
    await git.addRemote({ fs, dir, remote: 'origin', url: request.url });
    const commit = await fetchUntilPresent(request);
    signal.throwIfAborted();
    await git.checkout({ fs, dir, ref: commit, force: true });
    const { commit: details } = await git.readCommit({ fs, dir, oid: commit });
    return {
      commit,
      message: details.message.slice(0, MAX_MESSAGE_LENGTH),
      author: { name: details.author.name, email: details.author.email },
      changedFiles: await changedFilesOf(request, commit, details.parent),
    };
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    throw new CheckoutError(describe(error, request), { cause: error });
  }
}

/** A pull request's files since the merge base ( `[]`, "not known", past the bound); else the commit's. */
async function changedFilesOf(
  request: CheckoutRequest,
  commit: string,
  parents: string[],
): Promise<string[]> {
  const { baseBranch } = request;
  if (!baseBranch) return changedFiles(request.dir, commit, parents);
  const fetch = fetcherOf(request);
  const files = await changedSinceMergeBase({
    dir: request.dir,
    commit,
    ref: request.ref,
    baseBranch,
    signal: request.signal,
    fetch: async (ref, depth) => (await fetch(ref, depth)).fetchHead ?? null,
  });
  return files ?? [];
}

/** One shallow, single-ref fetch from origin, with the token and the host guard. */
function fetcherOf(request: CheckoutRequest) {
  const { dir, token, signal } = request;
  const http = guardedGitHttp({
    signal,
    gitHosts: request.gitHosts,
    ...(request.resolveHost ? { resolveHost: request.resolveHost } : {}),
  });
  return (ref: string, depth: number) =>
    git.fetch({
      fs,
      http,
      dir,
      remote: 'origin',
      ref,
      singleBranch: true,
      tags: false,
      depth,
      ...(token ? { onAuth: () => ({ username: TOKEN_USERNAME, password: token }) } : {}),
    });
}

async function fetchUntilPresent(request: CheckoutRequest): Promise<string> {
  const { dir, ref, signal } = request;
  const fetch = fetcherOf(request);
  for (const depth of DEPTHS) {
    signal.throwIfAborted();
    const { fetchHead } = await fetch(ref, depth);
    if (fetchHead === null) throw new Error(`The repository is empty; it has no ${ref}.`);
    // A tag's object is peeled to its commit; a branch head is a commit already.
    const wanted = request.commit ?? (await git.readCommit({ fs, dir, oid: fetchHead })).oid;
    if (await hasCommit(dir, wanted)) return wanted;
  }
  throw new Error(`Commit ${request.commit ?? ''} is not in the history of ${ref}.`);
}

async function hasCommit(dir: string, oid: string): Promise<boolean> {
  try {
    await git.readCommit({ fs, dir, oid });
    return true;
  } catch (error) {
    if (error instanceof git.Errors.NotFoundError) return false;
    throw error;
  }
}

function describe(error: unknown, request: CheckoutRequest): string {
  const text = isSmartHttpError(error)
    ? 'The server did not answer as a git server (smart HTTP); check that the URL is the clone URL of a git repository.'
    : error instanceof Error
      ? error.message
      : String(error);
  const masked = maskCredential(text, TOKEN_USERNAME, request.token);
  return `Could not check out ${request.ref} of ${withoutUserInfo(request.url)}: ${masked}`;
}

/**
 * isomorphic-git quotes the first 256 bytes of a non-git answer in this error's message; a
 * build's message must never carry what some server answered, so it gets a fixed text.
 */
function isSmartHttpError(error: unknown): boolean {
  return error instanceof git.Errors.SmartHttpError;
}

/** A clone URL as it may be shown: any user or password in it replaced. */
function withoutUserInfo(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.username && !parsed.password) return url;
    parsed.username = '***';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url;
  }
}

import { COMMIT_SHA_PATTERN, type BuildStatus } from '@gibbon/contracts';
import { defaultDescriptionOf, githubStateOf } from './commit-state';
import type { CommitStatusBody } from './status-transport';

/** One build status to show on a GitHub commit. */
export interface CommitStatusUpdate {
  /** `owner/name` of the repository on GitHub (the stored repository's `githubRepo`). */
  readonly githubRepo: string;
  readonly commit: string;
  /** The repository's GitHub token, decrypted. Sent only in the Authorization header. */
  readonly token: string;
  readonly status: BuildStatus;
  /** The link next to the status: the build's page or API URL. */
  readonly targetUrl: string;
  /** Replaces the status's default description; cut to GitHub's 140 characters. */
  readonly description?: string;
}

/** The status context GitHub groups our statuses under. */
export const COMMIT_STATUS_CONTEXT = 'gibbon';
const MAX_DESCRIPTION_LENGTH = 140;

/**
 * GitHub's owner and repository names: letters, digits, `-`, `_` and `.`. Checked before they
 * become path segments of the status URL, so a stored value cannot reach another endpoint.
 */
const GITHUB_REPO_PATTERN = /^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9_.-]{1,100}$/;

/** Why `update` cannot be sent to GitHub as it is, or `undefined` when it can. */
export function problemOf(update: CommitStatusUpdate): string | undefined {
  const [, name] = update.githubRepo.split('/');
  if (!GITHUB_REPO_PATTERN.test(update.githubRepo) || name === '.' || name === '..') {
    return 'githubRepo must be "owner/name" of a GitHub repository.';
  }
  if (!COMMIT_SHA_PATTERN.test(update.commit)) {
    return 'the commit must be a full commit id (40 or 64 hex digits).';
  }
  if (!URL.canParse(update.targetUrl)) {
    return 'targetUrl must be an absolute URL (check GIBBON_PUBLIC_URL).';
  }
  return undefined;
}

/** `{githubApiUrl}/repos/{owner}/{repo}/statuses/{sha}`; keeps a GitHub Enterprise `/api/v3`. */
export function statusUrlOf(githubApiUrl: string, update: CommitStatusUpdate): string {
  const base = githubApiUrl.replace(/\/+$/, '');
  const [owner = '', name = ''] = update.githubRepo.split('/');
  const path = `${encodeURIComponent(owner)}/${encodeURIComponent(name)}`;
  return `${base}/repos/${path}/statuses/${update.commit}`;
}

export function statusBodyOf(update: CommitStatusUpdate): CommitStatusBody {
  const description = update.description ?? defaultDescriptionOf(update.status);
  return {
    state: githubStateOf(update.status),
    context: COMMIT_STATUS_CONTEXT,
    target_url: update.targetUrl,
    description: description.slice(0, MAX_DESCRIPTION_LENGTH),
  };
}

/** What logs may say about an update: everything but the token. */
export function logFieldsOf(update: CommitStatusUpdate): Record<string, unknown> {
  const { githubRepo, commit, status } = update;
  return { githubRepo, commit, buildStatus: status, state: githubStateOf(status) };
}

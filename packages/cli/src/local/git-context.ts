import { basename } from 'node:path';
import type { BuildContext } from '@gibbon/contracts';
import { InputError, SLUG_PATTERN } from '@gibbon/contracts';
import { gitOutput, listOf } from './git';

export interface GitContextOptions {
  /** Pretend the build is of this branch (`--branch`). */
  branch?: string;
  /** Pretend the build is of this tag (`--tag`). */
  tag?: string;
  /** Extra build-level environment (`GIBBON_ONLY_JOBS` for `--job`). */
  env?: Record<string, string>;
  /** The build number shown to the script; local runs are 1. */
  buildId?: string;
}

/** A clone URL the contract accepts (http or https) that never carries credentials. */
export function publicUrlOf(remote: string | undefined, name: string): string {
  const trimmed = remote?.trim();
  if (trimmed && /^https?:\/\//.test(trimmed)) {
    const url = new URL(trimmed);
    url.username = '';
    url.password = '';
    return url.toString();
  }
  const scp = trimmed?.match(/^(?:ssh:\/\/)?[^@/]+@([^:/]+)[:/](.+)$/);
  if (scp) return `https://${scp[1]}/${scp[2]}`;
  return `http://localhost/${name}.git`;
}

/** A repository name as a slug: the folder name, lower-cased, other characters as dashes. */
export function slugOf(folder: string): string {
  const slug = folder
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/, '');
  return SLUG_PATTERN.test(slug) ? slug : 'local';
}

/**
 * Files of the last commit plus every uncommitted change (staged, unstaged, untracked and not
 * ignored): what a developer means by "what I changed" when running locally.
 */
async function changedFiles(dir: string): Promise<string[]> {
  const [lastCommit, uncommitted, untracked] = await Promise.all([
    gitOutput(dir, ['diff-tree', '--root', '--no-commit-id', '--name-only', '-r', '-z', 'HEAD']),
    gitOutput(dir, ['diff', '--name-only', '-z', 'HEAD']),
    gitOutput(dir, ['ls-files', '--others', '--exclude-standard', '-z']),
  ]);
  const all = [lastCommit, uncommitted, untracked].flatMap((out) => listOf(out, '\0'));
  return [...new Set(all)].sort();
}

async function mainBranchOf(dir: string): Promise<string> {
  const head = await gitOutput(dir, ['symbolic-ref', '--short', 'refs/remotes/origin/HEAD']);
  return head?.trim().replace(/^origin\//, '') || 'main';
}

/**
 * The build context of a local run (spec section 2), from the git checkout at `dir`: the
 * current branch (or `--branch`), the tag on HEAD (or `--tag`), HEAD's commit, message and
 * author, and the changed files. A local build is trusted: the developer runs their own code.
 */
export async function buildContextFromGit(
  dir: string,
  options: GitContextOptions = {},
): Promise<BuildContext> {
  const commit = (await gitOutput(dir, ['rev-parse', '--verify', '-q', 'HEAD^{commit}']))?.trim();
  if (!commit) {
    throw new InputError(
      `${dir} is not a git checkout with a commit; run \`git init && git add -A && git commit -m init\` there first.`,
    );
  }
  const [branchOut, tagOut, show, remote, mainBranch, files] = await Promise.all([
    gitOutput(dir, ['symbolic-ref', '-q', '--short', 'HEAD']),
    gitOutput(dir, ['tag', '--points-at', 'HEAD']),
    gitOutput(dir, ['show', '-s', '--format=%an%x00%ae%x00%B', 'HEAD']),
    gitOutput(dir, ['remote', 'get-url', 'origin']),
    mainBranchOf(dir),
    changedFiles(dir),
  ]);
  const tag = options.tag ?? (options.branch ? undefined : listOf(tagOut)[0]);
  const branch = options.branch ?? (options.tag ? undefined : branchOut?.trim() || undefined);
  const [authorName = '', authorEmail = '', message = ''] = (show ?? '').split('\0');
  const name = slugOf(basename(dir));
  const url = publicUrlOf(remote, name);
  return {
    build: { id: options.buildId ?? 'local', number: 1, source: 'api', trusted: true },
    repo: { org: 'local', name, url, mainBranch, labels: [] },
    git: {
      url,
      ref: branch ? `refs/heads/${branch}` : tag ? `refs/tags/${tag}` : commit,
      branch: branch ?? null,
      tag: tag ?? null,
      commit,
      message: message.trimEnd(),
      author: { name: authorName, email: authorEmail },
      changedFiles: files,
      pullRequest: null,
    },
    env: { CI: 'false', GIBBON_LOCAL: 'true', GIBBON_BUILD_NUMBER: '1', ...options.env },
  };
}

/**
 * The context of a folder that is not a git checkout (`gibbon verify` of a draft): the
 * `--branch`/`--tag` given, else `main`, and an all-zero commit.
 */
export function placeholderContext(dir: string, options: GitContextOptions = {}): BuildContext {
  const name = slugOf(basename(dir));
  const url = publicUrlOf(undefined, name);
  const branch = options.tag ? null : (options.branch ?? 'main');
  const tag = options.tag ?? null;
  return {
    build: { id: options.buildId ?? 'local', number: 1, source: 'api', trusted: true },
    repo: { org: 'local', name, url, mainBranch: 'main', labels: [] },
    git: {
      url,
      ref: branch ? `refs/heads/${branch}` : `refs/tags/${tag}`,
      branch,
      tag,
      commit: '0'.repeat(40),
      message: '',
      author: { name: '', email: '' },
      changedFiles: [],
      pullRequest: null,
    },
    env: { CI: 'false', GIBBON_LOCAL: 'true', GIBBON_BUILD_NUMBER: '1', ...options.env },
  };
}

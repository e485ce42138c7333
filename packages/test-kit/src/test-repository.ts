import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import { defaultAuthor, git, gitEnvironment, type GitAuthor } from './git-cli';

/** A file's new content; `null` deletes the file. */
export type FileChange =
  string | Buffer | { content: string | Buffer; mode?: 0o644 | 0o755 } | null;

export interface CommitOptions {
  readonly message: string;
  /** Defaults to the repository's default branch. A missing branch is created from it. */
  readonly branch?: string;
  readonly author?: GitAuthor;
}

/** A bare repository served by the git remote, with helpers to give it history. */
export interface TestRepository {
  readonly name: string;
  /** The clone URL, `http://127.0.0.1:PORT/<name>.git`. */
  readonly url: string;
  /** The bare repository on disk. */
  readonly directory: string;
  readonly defaultBranch: string;
  /**
   * Commits `files` (paths relative to the root, `/`-separated) on top of `branch`, pushes,
   * and returns the new commit's sha. Files not named keep their content.
   */
  commit(files: Record<string, FileChange>, options: CommitOptions): Promise<string>;
  /** Creates or moves branch `name` to `from` (a branch, tag or sha; default branch if omitted). */
  branch(name: string, from?: string): Promise<string>;
  /** Tags `sha` (default branch head if omitted); annotated when `message` is given. */
  tag(name: string, sha?: string, options?: { message?: string }): Promise<string>;
  /** Deletes a branch or tag ref, e.g. to replay a GitHub `deleted` push. */
  deleteRef(ref: `refs/heads/${string}` | `refs/tags/${string}`): Promise<void>;
  /** The commit sha `ref` (branch, tag or sha) points to. */
  resolve(ref: string): Promise<string>;
}

/**
 * Builds history with the git CLI: commits are made in a private work tree and pushed to
 * the bare repository by path; refs are set in the bare repository directly. Calls are
 * serialized so concurrent commits from one test cannot interleave in the work tree.
 */
export class GitTestRepository implements TestRepository {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly name: string,
    readonly url: string,
    readonly directory: string,
    private readonly workTree: string,
    readonly defaultBranch: string,
  ) {}

  commit(files: Record<string, FileChange>, options: CommitOptions): Promise<string> {
    return this.serialized(async () => {
      const branch = options.branch ?? this.defaultBranch;
      await this.checkout(branch);
      for (const [path, change] of Object.entries(files)) await this.apply(path, change);
      const env = gitEnvironment(options.author ?? defaultAuthor);
      await git(this.workTree, ['add', '--all'], env);
      await git(this.workTree, ['commit', '--allow-empty', '--quiet', '-m', options.message], env);
      await git(this.workTree, ['push', '--quiet', 'origin', `HEAD:refs/heads/${branch}`], env);
      return git(this.workTree, ['rev-parse', 'HEAD']);
    });
  }

  branch(name: string, from?: string): Promise<string> {
    return this.serialized(async () => {
      await git(this.directory, ['check-ref-format', '--branch', name]);
      const sha = await this.resolveInBare(from ?? this.defaultBranch);
      await git(this.directory, ['update-ref', `refs/heads/${name}`, sha]);
      return sha;
    });
  }

  tag(name: string, sha?: string, options: { message?: string } = {}): Promise<string> {
    return this.serialized(async () => {
      await git(this.directory, ['check-ref-format', `refs/tags/${name}`]);
      const target = await this.resolveInBare(sha ?? this.defaultBranch);
      const annotation = options.message === undefined ? [] : ['-a', '-m', options.message];
      await git(this.directory, ['tag', '--force', ...annotation, '--', name, target]);
      return target;
    });
  }

  deleteRef(ref: `refs/heads/${string}` | `refs/tags/${string}`): Promise<void> {
    return this.serialized(async () => {
      await git(this.directory, ['update-ref', '-d', ref]);
    });
  }

  resolve(ref: string): Promise<string> {
    return this.serialized(() => this.resolveInBare(ref));
  }

  private resolveInBare(ref: string): Promise<string> {
    return git(this.directory, ['rev-parse', '--verify', '--end-of-options', `${ref}^{commit}`]);
  }

  /** Puts the work tree at the tip of `branch`, of the default branch, or empty. */
  private async checkout(branch: string): Promise<void> {
    await git(this.directory, ['check-ref-format', '--branch', branch]);
    await git(this.workTree, ['fetch', '--quiet', '--prune', 'origin']);
    const base = (await this.remoteHas(branch)) ? branch : this.defaultBranch;
    if (await this.remoteHas(base)) {
      await git(this.workTree, ['checkout', '--quiet', '--force', '-B', branch, `origin/${base}`]);
    } else {
      await git(this.workTree, ['checkout', '--quiet', '--orphan', branch]);
      await git(this.workTree, ['rm', '-r', '--quiet', '--cached', '--ignore-unmatch', '.']);
    }
    await git(this.workTree, ['clean', '--quiet', '-d', '--force', '-x']);
  }

  private async remoteHas(branch: string): Promise<boolean> {
    const ref = `refs/remotes/origin/${branch}`;
    return git(this.workTree, ['show-ref', '--verify', '--quiet', ref]).then(
      () => true,
      () => false,
    );
  }

  private async apply(path: string, change: FileChange): Promise<void> {
    const target = join(this.workTree, safeRelativePath(path));
    if (change === null) {
      await rm(target, { force: true });
      return;
    }
    const { content, mode } =
      typeof change === 'string' || Buffer.isBuffer(change) ? { content: change } : change;
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content);
    await chmod(target, mode ?? 0o644);
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work, work);
    this.queue = result.catch(() => undefined);
    return result;
  }
}

function safeRelativePath(path: string): string {
  const normalized = posix.normalize(path);
  const segments = normalized.split('/');
  if (posix.isAbsolute(path) || segments.includes('..') || segments.includes('.git')) {
    throw new Error(
      `Refusing the path ${JSON.stringify(path)}: use a relative path inside the repository.`,
    );
  }
  return normalized;
}

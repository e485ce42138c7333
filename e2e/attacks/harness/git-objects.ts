import { spawn } from 'node:child_process';

/**
 * Git objects written straight into a bare repository, for trees `git` itself never makes:
 * entries named `..` or `.git`, two entries of one name (a symlink and a folder), git links
 * (submodules) to commits that exist nowhere. `git hash-object --literally` writes a tree in
 * exactly the order given, unchecked, as an attacker pushing raw objects would.
 */

export type EntryMode = '100644' | '100755' | '120000' | '40000' | '160000';

export interface TreeEntry {
  readonly mode: EntryMode;
  readonly name: string;
  /** The object's id: a blob, a tree, or (for a git link) any commit id. */
  readonly oid: string;
}

function git(gitDir: string, args: readonly string[], input: Buffer | string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['--git-dir', gitDir, ...args], {
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'Mallory',
        GIT_AUTHOR_EMAIL: 'mallory@example.com',
        GIT_COMMITTER_NAME: 'Mallory',
        GIT_COMMITTER_EMAIL: 'mallory@example.com',
      },
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString('utf8').trim());
      else reject(new Error(`git ${args.join(' ')}: ${Buffer.concat(err).toString('utf8')}`));
    });
    // A command that reads no input (update-ref) may exit before the write: EPIPE then says
    // nothing; git's exit status decides.
    child.stdin.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') reject(error);
    });
    child.stdin.end(input);
  });
}

export function writeBlob(gitDir: string, content: string | Buffer): Promise<string> {
  return git(gitDir, ['hash-object', '-w', '--stdin'], content);
}

/** A symlink's blob is its target. */
export function symlinkEntry(name: string, oid: string): TreeEntry {
  return { mode: '120000', name, oid };
}

export function writeTree(gitDir: string, entries: readonly TreeEntry[]): Promise<string> {
  const body = Buffer.concat(
    entries.map(({ mode, name, oid }) =>
      Buffer.concat([Buffer.from(`${mode} ${name}\0`), Buffer.from(oid, 'hex')]),
    ),
  );
  return git(gitDir, ['hash-object', '-w', '-t', 'tree', '--literally', '--stdin'], body);
}

/** A commit of `tree` (on top of `parent` when given), set as `branch`; returns its id. */
export async function commitTree(
  gitDir: string,
  tree: string,
  branch: string,
  parent?: string,
): Promise<string> {
  const parents = parent ? ['-p', parent] : [];
  const commit = await git(gitDir, ['commit-tree', ...parents, tree], `attack: ${branch}\n`);
  await git(gitDir, ['update-ref', `refs/heads/${branch}`, commit], '');
  return commit;
}

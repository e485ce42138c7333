import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** The data folder or something in it is open to other users; `message` is the one line. */
export class DataFolderNotPrivateError extends Error {}

const groupOrOtherBits = 0o077;

/**
 * Refuses to start when the data folder, or anything directly in it, grants any access to
 * group or others. It refuses rather than tightens: a loose `master.key`, token or database
 * file may already have been read, which the operator must learn (and may answer by rotating
 * the keys) instead of having it hidden by a silent chmod; and a loose mode may be deliberate.
 *
 * It looks at the folder and its direct entries (the key, token and database files, the tops
 * of `storage/` and the runner's folders), not the whole tree: while the folder itself is 0700
 * no other user reaches anything beneath it, and a start stays as fast with a million log
 * chunks. What Gibbon creates beneath is made private at creation.
 *
 * Windows has no such modes; the check is skipped there.
 */
export async function assertDataFolderPrivate(dataDir: string): Promise<void> {
  if (process.platform === 'win32') return;
  await assertPrivate(dataDir, dataDir);
  for (const name of (await readdir(dataDir)).sort()) {
    await assertPrivate(join(dataDir, name), dataDir);
  }
}

async function assertPrivate(path: string, dataDir: string): Promise<void> {
  // stat follows a symbolic link: what matters is who may open its target.
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined; // removed meanwhile, or a dangling link
    throw error;
  });
  if (!info || (info.mode & groupOrOtherBits) === 0) return;
  const mode = (info.mode & 0o777).toString(8).padStart(4, '0');
  throw new DataFolderNotPrivateError(
    `${path} has mode ${mode} (group or others have access); the data folder holds the master key, tokens and database and must be private to its owner: run chmod -R go-rwx ${shellQuoted(dataDir)} (and rotate the keys if someone else may have read them).`,
  );
}

/** A path as it can be pasted into a shell. */
function shellQuoted(path: string): string {
  return /^[A-Za-z0-9_./-]+$/.test(path) ? path : `'${path.replaceAll("'", "'\\''")}'`;
}

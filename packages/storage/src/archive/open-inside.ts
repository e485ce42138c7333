import { constants } from 'node:fs';
import { open, readlink, unlink, type FileHandle } from 'node:fs/promises';
import { sep } from 'node:path';
import { InputError } from '@gibbon/contracts';

const { O_CREAT, O_DIRECTORY, O_EXCL, O_NOFOLLOW, O_RDONLY, O_WRONLY } = constants;

/** How an archive opens what it reads or writes: never following a symlink at the end. */
export const openFor = {
  reading: O_RDONLY | O_NOFOLLOW,
  /** A new file only: an existing file, folder or symlink in its place fails with EEXIST. */
  creating: O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW,
  folder: O_RDONLY | O_DIRECTORY | O_NOFOLLOW,
} as const;

/**
 * Opens `path` only if what it opens lies inside `realRoot` (the tree's real path, as
 * `realpath` gives it; callers resolve it once per archive). Archives are packed and unpacked with
 * the runner's rights in a tree the build script may change at the same time: a folder swapped
 * for a symlink between a check and the open would otherwise let the runner read, create or
 * chmod a file anywhere. The last component is never followed (O_NOFOLLOW), and the opened
 * file's own path (Linux: /proc/self/fd) must be under `realRoot`; a file this call
 * created outside is removed again. Then reads, writes, chmod and utimes go through the handle.
 */
export async function openInside(
  path: string,
  realRoot: string,
  flags: number = openFor.reading,
  mode = 0o600,
): Promise<FileHandle> {
  const handle = await open(path, flags, mode).catch((error: NodeJS.ErrnoException) => {
    // O_NOFOLLOW meeting a symlink: ELOOP, or ENOTDIR when a folder was asked for.
    const swapped = error.code === 'ELOOP' || (error.code === 'ENOTDIR' && flags & O_DIRECTORY);
    if (!swapped) throw error;
    throw new InputError(`${path} became a symbolic link while it was archived.`, {
      cause: error,
    });
  });
  try {
    const opened = await openedPath(handle);
    if (opened !== undefined && !opened.startsWith(realRoot + sep)) {
      if ((flags & O_EXCL) !== 0) await unlink(opened);
      throw new InputError(`${path} leads out of the archived folder (to ${opened}).`);
    }
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** The path of an open file, where the system tells it (Linux's /proc); otherwise unknown. */
async function openedPath(handle: FileHandle): Promise<string | undefined> {
  try {
    return await readlink(`/proc/self/fd/${handle.fd}`);
  } catch {
    return undefined;
  }
}

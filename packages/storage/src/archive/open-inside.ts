import { constants } from 'node:fs';
import { open, readlink, realpath, type FileHandle } from 'node:fs/promises';
import { sep } from 'node:path';
import { InputError } from '@gibbon/contracts';

/**
 * Opens the regular file `path` for reading only if the file it opens lies inside `root`.
 * The packer runs with the runner's rights over a tree the build script may change while it
 * reads: a folder swapped for a symlink between the listing and the open would otherwise let
 * it read any file the runner can. The last component is never followed (O_NOFOLLOW), and the
 * opened file's own path (Linux: /proc/self/fd) must be under `root`'s real path.
 */
export async function openInside(path: string, root: string): Promise<FileHandle> {
  const realRoot = await realpath(root);
  const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ELOOP') throw error;
      throw new InputError(`${path} became a symbolic link while it was archived.`, {
        cause: error,
      });
    },
  );
  try {
    const opened = await openedPath(handle);
    if (opened !== undefined && !opened.startsWith(realRoot + sep)) {
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

import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * Files and folders of the data folder are the owner's alone: folders 0700, files 0600. The
 * modes are set explicitly with chmod after creation, because the `mode` of mkdir and open is
 * only ANDed with the process umask: it can make a file tighter than asked, never as asked.
 */
export const privateDirMode = 0o700;
export const privateFileMode = 0o600;

/** Creates `path` (and missing parents) if needed; a folder made here is set to 0700. */
export async function makePrivateDir(path: string): Promise<void> {
  const created = await mkdir(path, { recursive: true, mode: privateDirMode });
  if (created !== undefined) await chmod(path, privateDirMode);
}

/**
 * Writes `content` to `path` (0600) through a temporary file and a rename, so a reader sees
 * the old content or the new, never a torn file, and an existing file with a looser mode is
 * replaced instead of rewritten in place. `exclusive` fails with EEXIST if `path` exists.
 */
export async function writePrivateFile(
  path: string,
  content: string | Buffer,
  { exclusive = false }: { exclusive?: boolean } = {},
): Promise<void> {
  const temp = join(dirname(path), `.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', privateFileMode);
  try {
    await handle.chmod(privateFileMode);
    await handle.writeFile(content);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    // link(2) fails when the target exists, where rename(2) would replace it.
    if (exclusive) await link(temp, path);
    else await rename(temp, path);
  } finally {
    await rm(temp, { force: true });
  }
  await syncFolder(dirname(path));
}

/** Makes a rename or link in `folder` durable (a crash after it keeps the new name). */
export async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

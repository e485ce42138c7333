import { randomUUID } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { ConflictError } from '@gibbon/contracts';
import { errnoCode } from '../fs-errors';
import { writeStream } from './write-stream';

/**
 * Modes of what the store creates. The umask can only take bits away from them, so no file or
 * folder of the store is ever open to group or others, whatever the process umask.
 */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/** How often a rename is retried when a concurrent delete pruned the target's folder. */
const RENAME_ATTEMPTS = 5;

/**
 * Writes `source` to a fresh file in `tempDir`, flushes it to disk if `durable`, then renames it onto
 * `target`. rename(2) within one file system is atomic, so readers see the old object or the
 * whole new one, concurrent writers leave exactly one complete payload (the last renamed), and
 * a crash mid-write leaves only an invisible temp file (swept by `sweepTempFiles`).
 */
export async function writeAtomically(
  tempDir: string,
  target: string,
  source: Buffer | Readable,
  { durable }: { durable: boolean },
): Promise<void> {
  const temp = join(tempDir, `${randomUUID()}.part`);
  try {
    await writeTemp(temp, source, durable);
    await moveIntoPlace(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    if (!Buffer.isBuffer(source)) source.destroy();
    throw error;
  }
}

async function writeTemp(path: string, source: Buffer | Readable, durable: boolean): Promise<void> {
  // Objects are the owner's alone (logs, artifacts, caches of private repositories).
  const handle = await open(path, 'wx', PRIVATE_FILE_MODE);
  try {
    if (Buffer.isBuffer(source)) {
      await handle.writeFile(source);
      if (durable) await handle.sync();
    } else {
      // One write in flight at a time is the backpressure: the source is read no faster than the disk takes it.
      await writeStream(handle, source, { durable });
    }
  } finally {
    await handle.close();
  }
}

async function moveIntoPlace(temp: string, target: string): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await mkdir(dirname(target), { recursive: true, mode: PRIVATE_DIR_MODE });
      await rename(temp, target);
      return;
    } catch (error) {
      const code = errnoCode(error);
      if (code === 'ENOENT' && attempt < RENAME_ATTEMPTS) continue;
      if (code === 'EISDIR' || code === 'ENOTDIR' || code === 'EEXIST' || code === 'ENOTEMPTY') {
        throw new ConflictError(
          'On local disk a key cannot also be the folder of other keys (like "a" and "a/b").',
          { cause: error },
        );
      }
      throw error;
    }
  }
}

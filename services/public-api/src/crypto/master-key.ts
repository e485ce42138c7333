import { randomBytes } from 'node:crypto';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { keyBytes } from './aead';

/** Why the master key could not be had, in one line naming the fix. */
export class MasterKeyError extends Error {}

/** Parses `GIBBON_MASTER_KEY`: base64 of exactly 32 bytes. */
export function parseMasterKey(base64: string, source: string): Buffer {
  const key = Buffer.from(base64.trim(), 'base64');
  if (key.length !== keyBytes || key.toString('base64') !== base64.trim()) {
    throw new MasterKeyError(
      `${source} must be the base64 of exactly ${keyBytes} random bytes ` +
        `(make one with: openssl rand -base64 ${keyBytes}).`,
    );
  }
  return key;
}

/**
 * Reads the master key file, or creates it (mode 0600) with fresh random bytes on first start.
 * Losing this file makes every stored secret unreadable, which is why it is never rotated
 * silently: an unreadable or malformed file stops the service instead.
 */
export async function loadOrCreateMasterKeyFile(path: string): Promise<Buffer> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new MasterKeyError(`Cannot read the master key file ${path}; check its permissions.`, {
        cause: error,
      });
    }
    const key = randomBytes(keyBytes);
    // 'wx' fails if another process created the file meanwhile: then we read theirs.
    try {
      await writeFile(path, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
      await chmod(path, 0o600);
      return key;
    } catch (writeError) {
      if ((writeError as NodeJS.ErrnoException).code === 'EEXIST') {
        return loadOrCreateMasterKeyFile(path);
      }
      throw new MasterKeyError(`Cannot create the master key file ${path}.`, { cause: writeError });
    }
  }
  return parseMasterKey(text, `The master key file ${path}`);
}

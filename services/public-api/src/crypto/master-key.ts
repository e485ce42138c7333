import { keyBytes } from './aead';

/** Why the master key could not be had, in one line naming the fix. */
export class MasterKeyError extends Error {}

/** Parses `GIBBON_MASTER_KEY` or a key file: base64 of exactly 32 bytes. */
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

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM with a fresh random 96-bit nonce per message. A sealed value is
 * `v1.` + base64(nonce ‖ ciphertext ‖ tag): self-describing, so the format can change later
 * without guessing. The associated data is not stored; the caller rebuilds it from where the
 * value lives (org, set, name), so a ciphertext copied to another row no longer opens.
 */
const version = 'v1.';
const nonceBytes = 12;
const tagBytes = 16;
export const keyBytes = 32;

function assertKey(key: Buffer): void {
  if (key.length !== keyBytes) {
    throw new RangeError(`An AES-256-GCM key is ${keyBytes} bytes; this one is ${key.length}.`);
  }
}

export function seal(key: Buffer, plaintext: Buffer | string, associatedData: string): string {
  assertKey(key);
  const nonce = randomBytes(nonceBytes);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: tagBytes });
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return version + Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64');
}

/** Thrown when a sealed value is malformed, or its key or associated data do not match. */
export class SealedValueError extends Error {}

export function open(key: Buffer, sealed: string, associatedData: string): Buffer {
  assertKey(key);
  if (!sealed.startsWith(version)) {
    throw new SealedValueError('Sealed value has an unknown format version.');
  }
  const raw = Buffer.from(sealed.slice(version.length), 'base64');
  if (raw.length < nonceBytes + tagBytes) throw new SealedValueError('Sealed value is truncated.');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, nonceBytes), {
    authTagLength: tagBytes,
  });
  decipher.setAAD(Buffer.from(associatedData, 'utf8'));
  decipher.setAuthTag(raw.subarray(raw.length - tagBytes));
  try {
    return Buffer.concat([
      decipher.update(raw.subarray(nonceBytes, raw.length - tagBytes)),
      decipher.final(),
    ]);
  } catch (error) {
    throw new SealedValueError(
      'Sealed value failed authentication (wrong key, or moved from another record).',
      { cause: error },
    );
  }
}

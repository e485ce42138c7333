import { execFile } from 'node:child_process';
import { createDecipheriv } from 'node:crypto';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A build-token signing key as the operator can recover it: its id and its secret. */
export interface OperatorSigningKey {
  readonly kid: string;
  readonly secret: Buffer;
}

/**
 * The build-token signing keys, recovered the way an operator who holds the master key
 * (`GIBBON_MASTER_KEY`, which the suite sets) could: read from the database with `psql` and
 * opened with the master key. The token tests need the real key to forge tokens whose only
 * fault is one claim (expired, wrong audience, ...): without it every forgery fails on its
 * signature and the claim checks are never reached. This reads public-api's storage format
 * (`signing_keys.wrapped_secret` = `v1.` + base64(nonce ‖ ciphertext ‖ tag), AES-256-GCM with
 * the key's own name as associated data), so a change there shows up here as a clear failure.
 */
export async function readSigningKeys(
  databaseUrl: string,
  masterKey: Buffer,
): Promise<OperatorSigningKey[]> {
  const { stdout } = await run('psql', [
    databaseUrl,
    '--no-psqlrc',
    '--tuples-only',
    '--no-align',
    '--field-separator= ',
    '--command',
    "SELECT kid, wrapped_secret FROM signing_keys WHERE purpose = 'build' AND retired_at IS NULL ORDER BY created_at DESC, kid DESC",
  ]);
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [kid = '', wrapped = ''] = line.trim().split(' ');
      return { kid, secret: unwrap(masterKey, wrapped, `gibbon/signing-key/build/${kid}`) };
    });
}

function unwrap(key: Buffer, sealed: string, associatedData: string): Buffer {
  if (!sealed.startsWith('v1.')) {
    throw new Error(
      `signing key format changed: expected "v1." + base64, got ${sealed.slice(0, 8)}…`,
    );
  }
  const raw = Buffer.from(sealed.slice(3), 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(associatedData));
  decipher.setAuthTag(raw.subarray(raw.length - 16));
  return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]);
}

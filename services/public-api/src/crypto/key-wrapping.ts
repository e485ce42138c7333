import type { Tx } from '../db/transactions';

/** A key as stored: wrapped by the master key `masterKeyId` (null: stored before key ids). */
export interface WrappedKey {
  readonly wrapped: string;
  readonly masterKeyId: string | null;
}

/**
 * Wrapping of stored keys (data keys, signing keys) by the master key; `MasterKeysService`
 * implements it. `wrapInside` runs in the transaction that stores the result: it picks the
 * master key the database names as current there, so a rotation cannot miss the key.
 */
export interface KeyWrapping {
  wrapInside(trx: Tx, plaintext: Buffer, context: string): Promise<WrappedKey>;
  unwrap(key: WrappedKey, context: string): Promise<Buffer>;
}

/** Associated data of an org's wrapped data key: a wrapped key copied to another org does not open. */
export function dataKeyContext(org: string): string {
  return `gibbon/data-key/${org}`;
}

/** Associated data of a wrapped JWT signing secret. */
export function signingKeyContext(purpose: string, kid: string): string {
  return `gibbon/signing-key/${purpose}/${kid}`;
}

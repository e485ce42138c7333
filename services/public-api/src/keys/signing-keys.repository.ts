import type { WrappedKey } from '../crypto/key-wrapping';
import type { Db } from '../db/database';
import type { Tx } from '../db/transactions';

export interface StoredSigningKey {
  readonly kid: string;
  readonly purpose: string;
  readonly algorithm: string;
  readonly secret: WrappedKey;
  readonly createdAt: string;
  /** When it stops verifying; null while it signs. */
  readonly retiredAt: string | null;
}

export interface NewSigningKey {
  readonly kid: string;
  readonly purpose: string;
  readonly algorithm: string;
  readonly createdAt: string;
}

/**
 * JWT signing keys by purpose. A key verifies until its `retired_at` (null: no end); rows past
 * it stay until the next master key rotation deletes them.
 */
export class SigningKeysRepository {
  constructor(private readonly db: Db) {}

  /**
   * Stores `key` (its secret wrapped by `wrapSecret` inside the transaction) and, in the same
   * transaction, sets every other key of its purpose to retire at `retireOthersAt` at the
   * latest.
   */
  async insert(
    key: NewSigningKey,
    wrapSecret: (tx: Tx) => Promise<WrappedKey>,
    retireOthersAt: string,
  ): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const secret = await wrapSecret(tx);
      await tx
        .insertInto('signing_keys')
        .values({
          kid: key.kid,
          purpose: key.purpose,
          algorithm: key.algorithm,
          wrapped_secret: secret.wrapped,
          master_key_id: secret.masterKeyId,
          created_at: key.createdAt,
          retired_at: null,
        })
        .execute();
      await tx
        .updateTable('signing_keys')
        .set({ retired_at: retireOthersAt })
        .where('purpose', '=', key.purpose)
        .where('kid', '!=', key.kid)
        .where((eb) => eb.or([eb('retired_at', 'is', null), eb('retired_at', '>', retireOthersAt)]))
        .execute();
    });
  }

  /**
   * Keys of `purpose` that still verify at `now`: the signing one (not set to retire) first,
   * then newest first.
   */
  async listVerifying(purpose: string, now: string): Promise<StoredSigningKey[]> {
    const rows = await this.db
      .selectFrom('signing_keys')
      .selectAll()
      .where('purpose', '=', purpose)
      .where((eb) => eb.or([eb('retired_at', 'is', null), eb('retired_at', '>', now)]))
      .orderBy('created_at', 'desc')
      .orderBy('kid', 'desc')
      .execute();
    const signingFirst = rows.sort(
      (a, b) => Number(a.retired_at !== null) - Number(b.retired_at !== null),
    );
    return signingFirst.map((row) => ({
      kid: row.kid,
      purpose: row.purpose,
      algorithm: row.algorithm,
      secret: { wrapped: row.wrapped_secret, masterKeyId: row.master_key_id },
      createdAt: row.created_at,
      retiredAt: row.retired_at,
    }));
  }

  async retire(kid: string, at: string): Promise<void> {
    await this.db
      .updateTable('signing_keys')
      .set({ retired_at: at })
      .where('kid', '=', kid)
      .execute();
  }
}

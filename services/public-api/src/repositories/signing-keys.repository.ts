import type { Db } from '../db/database';

export interface StoredSigningKey {
  readonly kid: string;
  readonly purpose: string;
  readonly algorithm: string;
  readonly wrappedSecret: string;
  readonly createdAt: string;
}

/** JWT signing keys by purpose; retired keys stay for the record but no longer verify. */
export class SigningKeysRepository {
  constructor(private readonly db: Db) {}

  async insert(key: StoredSigningKey): Promise<void> {
    await this.db
      .insertInto('signing_keys')
      .values({
        kid: key.kid,
        purpose: key.purpose,
        algorithm: key.algorithm,
        wrapped_secret: key.wrappedSecret,
        created_at: key.createdAt,
        retired_at: null,
      })
      .execute();
  }

  /** Active keys of `purpose`, newest first (the first one signs). */
  async listActive(purpose: string): Promise<StoredSigningKey[]> {
    const rows = await this.db
      .selectFrom('signing_keys')
      .selectAll()
      .where('purpose', '=', purpose)
      .where('retired_at', 'is', null)
      .orderBy('created_at', 'desc')
      .orderBy('kid', 'desc')
      .execute();
    return rows.map((row) => ({
      kid: row.kid,
      purpose: row.purpose,
      algorithm: row.algorithm,
      wrappedSecret: row.wrapped_secret,
      createdAt: row.created_at,
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

import type { Db } from '../db/database';
import type { Tx } from '../db/transactions';

/** A stored key wrapped by the master key: an org's data key or a JWT signing key. */
export type WrappedKeyRow =
  | {
      readonly kind: 'data';
      readonly org: string;
      readonly wrapped: string;
      readonly masterKeyId: string | null;
    }
  | {
      readonly kind: 'signing';
      readonly kid: string;
      readonly purpose: string;
      readonly wrapped: string;
      readonly masterKeyId: string | null;
    };

export interface WrappedKeyCount {
  readonly masterKeyId: string;
  readonly dataKeys: number;
  readonly signingKeys: number;
}

/** Every key the master key wraps, across `data_keys` and `signing_keys`: what a rotation re-wraps. */
export class WrappedKeysRepository {
  constructor(private readonly db: Db) {}

  /** Up to `limit` keys of each table not wrapped by `keyId` (or with no key id). */
  async notUnder(keyId: string, limit: number): Promise<WrappedKeyRow[]> {
    const data = await this.db
      .selectFrom('data_keys')
      .select(['org', 'wrapped_key', 'master_key_id'])
      .where((eb) => eb.or([eb('master_key_id', 'is', null), eb('master_key_id', '!=', keyId)]))
      .orderBy('org')
      .limit(limit)
      .execute();
    const signing = await this.db
      .selectFrom('signing_keys')
      .select(['kid', 'purpose', 'wrapped_secret', 'master_key_id'])
      .where((eb) => eb.or([eb('master_key_id', 'is', null), eb('master_key_id', '!=', keyId)]))
      .orderBy('kid')
      .limit(limit)
      .execute();
    return [
      ...data.map((row) => dataRow(row.org, row.wrapped_key, row.master_key_id)),
      ...signing.map((row) =>
        signingRow(row.kid, row.purpose, row.wrapped_secret, row.master_key_id),
      ),
    ];
  }

  /** Keys stored before key ids were recorded. */
  async unnamed(): Promise<WrappedKeyRow[]> {
    const data = await this.db
      .selectFrom('data_keys')
      .select(['org', 'wrapped_key'])
      .where('master_key_id', 'is', null)
      .execute();
    const signing = await this.db
      .selectFrom('signing_keys')
      .select(['kid', 'purpose', 'wrapped_secret'])
      .where('master_key_id', 'is', null)
      .execute();
    return [
      ...data.map((row) => dataRow(row.org, row.wrapped_key, null)),
      ...signing.map((row) => signingRow(row.kid, row.purpose, row.wrapped_secret, null)),
    ];
  }

  /**
   * Stores `wrapped` (by master key `keyId`) in place of `row`, only if the row still holds
   * what was read: false when it changed or went meanwhile.
   */
  async replace(trx: Tx, row: WrappedKeyRow, wrapped: string, keyId: string): Promise<boolean> {
    const result =
      row.kind === 'data'
        ? await trx
            .updateTable('data_keys')
            .set({ wrapped_key: wrapped, master_key_id: keyId })
            .where('org', '=', row.org)
            .where('wrapped_key', '=', row.wrapped)
            .executeTakeFirst()
        : await trx
            .updateTable('signing_keys')
            .set({ wrapped_secret: wrapped, master_key_id: keyId })
            .where('kid', '=', row.kid)
            .where('wrapped_secret', '=', row.wrapped)
            .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async countsByMasterKey(): Promise<WrappedKeyCount[]> {
    const data = await this.db
      .selectFrom('data_keys')
      .select((eb) => ['master_key_id', eb.fn.countAll<string | number>().as('count')])
      .where('master_key_id', 'is not', null)
      .groupBy('master_key_id')
      .execute();
    const signing = await this.db
      .selectFrom('signing_keys')
      .select((eb) => ['master_key_id', eb.fn.countAll<string | number>().as('count')])
      .where('master_key_id', 'is not', null)
      .groupBy('master_key_id')
      .execute();
    const counts = new Map<string, { dataKeys: number; signingKeys: number }>();
    const entry = (id: string) => {
      const found = counts.get(id) ?? { dataKeys: 0, signingKeys: 0 };
      counts.set(id, found);
      return found;
    };
    for (const row of data) entry(row.master_key_id ?? '').dataKeys = Number(row.count);
    for (const row of signing) entry(row.master_key_id ?? '').signingKeys = Number(row.count);
    return [...counts]
      .map(([masterKeyId, count]) => ({ masterKeyId, ...count }))
      .sort((a, b) => a.masterKeyId.localeCompare(b.masterKeyId));
  }

  /** Signing keys past their retirement: they verify nothing, so they are not re-wrapped but deleted. */
  async deleteRetiredSigningKeys(now: string): Promise<number> {
    const result = await this.db
      .deleteFrom('signing_keys')
      .where('retired_at', 'is not', null)
      .where('retired_at', '<=', now)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

function dataRow(org: string, wrapped: string, masterKeyId: string | null): WrappedKeyRow {
  return { kind: 'data', org, wrapped, masterKeyId };
}

function signingRow(
  kid: string,
  purpose: string,
  wrapped: string,
  masterKeyId: string | null,
): WrappedKeyRow {
  return { kind: 'signing', kid, purpose, wrapped, masterKeyId };
}

import type { WrappedKey } from '../crypto/key-wrapping';
import type { Db } from '../db/database';
import { translateConstraintErrors } from '../db/errors';
import type { Tx } from '../db/transactions';
import type { OrgsTable } from '../db/schema';
import type { Org } from '../domain';

function toOrg(row: OrgsTable): Org {
  return { slug: row.slug, name: row.name, createdAt: row.created_at };
}

/** Organisations by slug. The org's data key is inserted in the same transaction (see params). */
export class OrgsRepository {
  constructor(private readonly db: Db) {}

  /** `wrapDataKey` runs inside the transaction (see `KeyWrapping.wrapInside`). */
  async insert(org: Org, wrapDataKey: (tx: Tx) => Promise<WrappedKey>): Promise<void> {
    await translateConstraintErrors(
      () =>
        this.db.transaction().execute(async (tx) => {
          await tx
            .insertInto('orgs')
            .values({ slug: org.slug, name: org.name, created_at: org.createdAt })
            .execute();
          const dataKey = await wrapDataKey(tx);
          await tx
            .insertInto('data_keys')
            .values({
              org: org.slug,
              wrapped_key: dataKey.wrapped,
              master_key_id: dataKey.masterKeyId,
              created_at: org.createdAt,
            })
            .execute();
        }),
      { conflict: `An organisation with the slug "${org.slug}" already exists.` },
    );
  }

  async list(onlySlug?: string): Promise<Org[]> {
    let query = this.db.selectFrom('orgs').selectAll().orderBy('slug');
    if (onlySlug !== undefined) query = query.where('slug', '=', onlySlug);
    return (await query.execute()).map(toOrg);
  }

  async find(slug: string): Promise<Org | undefined> {
    const row = await this.db
      .selectFrom('orgs')
      .selectAll()
      .where('slug', '=', slug)
      .executeTakeFirst();
    return row && toOrg(row);
  }

  async findWrappedDataKey(slug: string): Promise<WrappedKey | undefined> {
    const row = await this.db
      .selectFrom('data_keys')
      .select(['wrapped_key', 'master_key_id'])
      .where('org', '=', slug)
      .executeTakeFirst();
    return row && { wrapped: row.wrapped_key, masterKeyId: row.master_key_id };
  }
}

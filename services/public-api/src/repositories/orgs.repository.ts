import type { Db } from '../db/database';
import { translateConstraintErrors } from '../db/errors';
import type { OrgsTable } from '../db/schema';
import type { Org } from '../domain';

function toOrg(row: OrgsTable): Org {
  return { slug: row.slug, name: row.name, createdAt: row.created_at };
}

/** Organisations by slug. The org's data key is inserted in the same transaction (see params). */
export class OrgsRepository {
  constructor(private readonly db: Db) {}

  async insert(org: Org, wrappedDataKey: string): Promise<void> {
    await translateConstraintErrors(
      () =>
        this.db.transaction().execute(async (tx) => {
          await tx
            .insertInto('orgs')
            .values({ slug: org.slug, name: org.name, created_at: org.createdAt })
            .execute();
          await tx
            .insertInto('data_keys')
            .values({ org: org.slug, wrapped_key: wrappedDataKey, created_at: org.createdAt })
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

  async findWrappedDataKey(slug: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('data_keys')
      .select('wrapped_key')
      .where('org', '=', slug)
      .executeTakeFirst();
    return row?.wrapped_key;
  }
}

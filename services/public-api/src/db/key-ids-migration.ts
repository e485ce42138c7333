import type { Kysely, Migration } from 'kysely';

/**
 * Master key rotation (docs/adr/0003-secrets-envelope-encryption.md): every wrapped key names
 * the master key that wrapped it, and one row names the master key new keys are wrapped by,
 * which a rotation switches for every process at once. Rows stored before this migration
 * have no key id; the start finds the key that opens each and records it.
 */
export const keyIdsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('data_keys').addColumn('master_key_id', 'text').execute();
    await db.schema.alterTable('signing_keys').addColumn('master_key_id', 'text').execute();
    await db.schema
      .createTable('master_key_state')
      .addColumn('slot', 'text', (c) => c.primaryKey())
      .addColumn('key_id', 'text', (c) => c.notNull())
      .addColumn('changed_at', 'text', (c) => c.notNull())
      .execute();
  },
};

import type { Kysely, Migration } from 'kysely';

/**
 * A repository may let its untrusted builds (pull requests from forks) have a network
 * (docs/adr/0004-script-sandbox.md). 0 or 1, as `builds.trusted`; every repository stored
 * before this migration keeps the safe default, no network.
 */
export const repoUntrustedNetworkMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('repos')
      .addColumn('untrusted_network', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
  },
};

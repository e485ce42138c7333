import type { Kysely, Migration } from 'kysely';

/**
 * Retention (services/public-api/README.md, "Retention"): one policy row per org (no row, or a
 * null column, keeps forever), and a tombstone per build and kind (`logs`, `artifacts`) whose
 * objects the sweeper deleted. The tombstone's primary key is the sweepers' claim: the one
 * whose insert lands deletes the objects, so several processes may sweep at once. It goes with
 * its build (cascade), so a deleted build answers 404, not 410.
 */
export const retentionMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('retention_policies')
      .addColumn('org', 'text', (c) => c.primaryKey().references('orgs.slug').onDelete('cascade'))
      .addColumn('builds_days', 'integer')
      .addColumn('builds_keep_last', 'integer')
      .addColumn('logs_days', 'integer')
      .addColumn('artifacts_days', 'integer')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('retention_tombstones')
      .addColumn('build_id', 'text', (c) => c.notNull().references('builds.id').onDelete('cascade'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('expired_at', 'text', (c) => c.notNull())
      .addColumn('policy_days', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('retention_tombstones_pk', ['build_id', 'kind'])
      .execute();
  },
};

import type { Kysely, Migration } from 'kysely';

/**
 * What a runner reports of itself: `os` and `arch` (Node's `process.platform` and
 * `process.arch`) with each claim, null until its first claim (spec section 6); and
 * `draining` (0 or 1), set by an admin: a draining runner is handed no new build.
 */
export const runnerRegistrationMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('runners').addColumn('os', 'text').execute();
    await db.schema.alterTable('runners').addColumn('arch', 'text').execute();
    await db.schema
      .alterTable('runners')
      .addColumn('draining', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
  },
};

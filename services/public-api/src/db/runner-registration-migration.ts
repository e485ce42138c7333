import type { Kysely, Migration } from 'kysely';

/**
 * What a runner reports of itself: `os` and `arch` (Node's `process.platform` and
 * `process.arch`) with each claim, null until its first claim (spec section 6).
 */
export const runnerRegistrationMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('runners').addColumn('os', 'text').execute();
    await db.schema.alterTable('runners').addColumn('arch', 'text').execute();
  },
};

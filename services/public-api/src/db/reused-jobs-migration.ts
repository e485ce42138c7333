import type { Kysely, Migration } from 'kysely';

/**
 * A re-run of failed jobs only (`retry?failed=true`) names the jobs of the build it re-runs
 * that succeeded and are not run again: a JSON list of job ids, `NULL` for every other build.
 */
export const reusedJobsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('builds').addColumn('reused_jobs', 'text').execute();
  },
};

import type { Kysely, Migration } from 'kysely';

/** The named values a job set (`job.setOutput`, `$GIBBON_OUTPUT`), stored with it as JSON. */
export const jobOutputsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('jobs').addColumn('outputs', 'text').execute();
  },
};

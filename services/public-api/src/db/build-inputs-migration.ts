import type { Kysely, Migration } from 'kysely';

/**
 * A build's pipeline inputs (`POST .../builds` with `inputs`, kept by its retries) as JSON; null
 * for the builds stored before and for every build given none. Plain text, not sealed: inputs
 * are choices a person makes (a target, a flag), never secrets (those are parameter sets).
 */
export const buildInputsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('builds').addColumn('inputs', 'text').execute();
  },
};

import type { Kysely, Migration } from 'kysely';

/**
 * A repository's trigger rules (services/public-api/README.md, "Trigger rules") as a JSON
 * object. Every repository stored before this migration gets `{}`: no rule, so everything it
 * built before still builds.
 */
export const repoTriggersMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('repos')
      .addColumn('triggers', 'text', (c) => c.notNull().defaultTo('{}'))
      .execute();
  },
};

import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Concurrency groups (services/public-api/README.md, "Concurrency"): a repository's settings
 * as JSON (`{}`, parallel, for every repository stored before), and each build's group (null:
 * none). The partial unique index is the rule itself: at most one running build per group of a
 * repository, held by the database across every runner and public-api process, so two claims
 * racing for builds of one group cannot both win.
 */
export const concurrencyMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('repos')
      .addColumn('concurrency', 'text', (c) => c.notNull().defaultTo('{}'))
      .execute();
    await db.schema.alterTable('builds').addColumn('concurrency_group', 'text').execute();
    await db.schema
      .createIndex('builds_one_running_per_group')
      .on('builds')
      .columns(['repo_id', 'concurrency_group'])
      .unique()
      .where(sql.ref('status'), '=', 'running')
      .where(sql.ref('concurrency_group'), 'is not', null)
      .execute();
    await db.schema
      .createIndex('builds_group_status')
      .on('builds')
      .columns(['repo_id', 'concurrency_group', 'status'])
      .execute();
  },
};

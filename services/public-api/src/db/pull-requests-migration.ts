import type { Kysely, Migration } from 'kysely';

/**
 * Pull requests as first-class (services/public-api/README.md, "GitHub"): a build of a
 * `pull_request` delivery keeps its pull request (number, title, base and head branch, head
 * repository, fork) as JSON text; null for every other build, and for every build stored
 * before this migration.
 */
export const pullRequestsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('builds').addColumn('pull_request', 'text').execute();
  },
};

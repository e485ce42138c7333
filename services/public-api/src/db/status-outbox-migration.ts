import { PostgresAdapter, type Kysely, type Migration } from 'kysely';

/**
 * The commit status outbox: one row per build status still to be sent to GitHub, written in
 * the transaction of the status change (statuses/README.md). `id` is an integer that grows in
 * commit order of one build's changes (each change holds the build row's lock until it
 * commits), so per (repository, commit) the smallest id is the next to send. Rows are deleted
 * once sent or given up. The index serves that "oldest per commit" test; the token is never
 * stored here (it stays sealed in `repos`).
 */
export const statusOutboxMigration: Migration = {
  async up(db: Kysely<unknown>) {
    const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
    await db.schema
      .createTable('status_outbox')
      .addColumn('id', postgres ? 'bigserial' : 'integer', (c) =>
        postgres ? c.primaryKey() : c.primaryKey().autoIncrement(),
      )
      .addColumn('build_id', 'text', (c) => c.notNull().references('builds.id').onDelete('cascade'))
      .addColumn('repo_id', 'text', (c) => c.notNull())
      .addColumn('commit_sha', 'text', (c) => c.notNull())
      .addColumn('build_status', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'text', (c) => c.notNull())
      .addColumn('lease_owner', 'text')
      .addColumn('lease_expires_at', 'text')
      .addColumn('last_error', 'text')
      .execute();
    await db.schema
      .createIndex('status_outbox_commit')
      .on('status_outbox')
      .columns(['repo_id', 'commit_sha', 'id'])
      .execute();
    await db.schema
      .createIndex('status_outbox_build')
      .on('status_outbox')
      .column('build_id')
      .execute();
  },
};

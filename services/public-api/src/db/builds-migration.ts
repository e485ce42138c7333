import type { Kysely, Migration } from 'kysely';

/** `0002_builds`: the tables of `builds-schema.ts`, with the uniqueness the queue relies on. */
export const buildsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('webhooks')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org', 'text', (c) => c.notNull().references('orgs.slug').onDelete('cascade'))
      .addColumn('repo_id', 'text', (c) => c.notNull().references('repos.id').onDelete('cascade'))
      .addColumn('secret_sealed', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('build_counters')
      .addColumn('repo_id', 'text', (c) =>
        c.primaryKey().references('repos.id').onDelete('cascade'),
      )
      .addColumn('last_number', 'integer', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('builds')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('repo_id', 'text', (c) => c.notNull().references('repos.id').onDelete('cascade'))
      .addColumn('org', 'text', (c) => c.notNull())
      .addColumn('repo', 'text', (c) => c.notNull())
      .addColumn('number', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('trusted', 'integer', (c) => c.notNull())
      .addColumn('ref', 'text', (c) => c.notNull())
      .addColumn('branch', 'text')
      .addColumn('tag', 'text')
      .addColumn('commit_sha', 'text')
      .addColumn('message', 'text')
      .addColumn('author_name', 'text')
      .addColumn('author_email', 'text')
      .addColumn('changed_files', 'text', (c) => c.notNull())
      .addColumn('params_sealed', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text')
      .addColumn('finished_at', 'text')
      .addColumn('end_message', 'text')
      .addColumn('retry_of', 'integer')
      .addColumn('cancel_requested', 'integer', (c) => c.notNull())
      .addColumn('claims', 'integer', (c) => c.notNull())
      .addUniqueConstraint('builds_repo_number_unique', ['repo_id', 'number'])
      .execute();
    await db.schema
      .createIndex('builds_queue')
      .on('builds')
      .columns(['status', 'created_at'])
      .execute();
    await db.schema
      .createTable('build_content_keys')
      .addColumn('repo_id', 'text', (c) => c.notNull().references('repos.id').onDelete('cascade'))
      .addColumn('content_key', 'text', (c) => c.notNull())
      .addColumn('build_id', 'text', (c) => c.notNull().references('builds.id').onDelete('cascade'))
      .addPrimaryKeyConstraint('build_content_keys_pk', ['repo_id', 'content_key'])
      .execute();
    await db.schema
      .createTable('deliveries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('webhook_id', 'text', (c) =>
        c.notNull().references('webhooks.id').onDelete('cascade'),
      )
      .addColumn('event', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('reason', 'text')
      .addColumn('build_id', 'text', (c) => c.references('builds.id').onDelete('cascade'))
      .execute();
    await db.schema
      .createTable('jobs')
      .addColumn('build_id', 'text', (c) => c.notNull().references('builds.id').onDelete('cascade'))
      .addColumn('job_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('exit_code', 'integer')
      .addColumn('started_at', 'text')
      .addColumn('finished_at', 'text')
      .addColumn('depends_on', 'text', (c) => c.notNull())
      .addColumn('message', 'text')
      .addColumn('position', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('jobs_pk', ['build_id', 'job_id'])
      .execute();
    await db.schema
      .createTable('leases')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('build_id', 'text', (c) => c.notNull().references('builds.id').onDelete('cascade'))
      .addColumn('runner_id', 'text', (c) => c.notNull())
      .addColumn('attempt', 'integer', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('leases_active')
      .on('leases')
      .columns(['state', 'expires_at'])
      .execute();
    await db.schema.createIndex('leases_build').on('leases').column('build_id').execute();
    await db.schema
      .createTable('log_chunks')
      .addColumn('build_id', 'text', (c) => c.notNull().references('builds.id').onDelete('cascade'))
      .addColumn('job_id', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('storage_key', 'text', (c) => c.notNull())
      .addColumn('size', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('log_chunks_pk', ['build_id', 'job_id', 'seq'])
      .execute();
  },
};

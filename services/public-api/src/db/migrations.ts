import { Kysely, Migrator, type Migration, type MigrationProvider } from 'kysely';
import { buildNotesMigration } from './build-notes-migration';
import { buildsMigration } from './builds-migration';
import { keyIdsMigration } from './key-ids-migration';
import { repoUntrustedNetworkMigration } from './repo-untrusted-network-migration';
import { logChunkTimesMigration } from './log-chunk-times-migration';
import { webSessionsMigration } from './web-sessions-migration';
import { jobApprovalsMigration } from './job-approvals-migration';
import { reusedJobsMigration } from './reused-jobs-migration';
import { jobOutputsMigration } from './job-outputs-migration';
import { auditLogMigration } from './audit-log-migration';
import { repoTriggersMigration } from './repo-triggers-migration';
import { schedulesMigration } from './schedules-migration';
import { retentionMigration } from './retention-migration';
import { buildInputsMigration } from './build-inputs-migration';
import { concurrencyMigration } from './concurrency-migration';
import { deliveriesIndexMigration } from './deliveries-index-migration';
import { statusOutboxMigration } from './status-outbox-migration';
import { runnerRegistrationMigration } from './runner-registration-migration';
import { pullRequestsMigration } from './pull-requests-migration';
import { runnerRegistrationTokensMigration } from './runner-registration-tokens-migration';

/**
 * Migrations are code, kept in this one ordered table so the binary and the tests cannot
 * migrate differently. Names sort in run order; a migration never changes once released:
 * add a new one instead. Issues after the core (webhooks, builds, jobs, deliveries, log
 * chunks) add their tables as new entries.
 */
const migrations: Record<string, Migration> = {
  '0001_core': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('orgs')
        .addColumn('slug', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('data_keys')
        .addColumn('org', 'text', (c) => c.primaryKey().references('orgs.slug').onDelete('cascade'))
        .addColumn('wrapped_key', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('repos')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org', 'text', (c) => c.notNull().references('orgs.slug').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('main_branch', 'text', (c) => c.notNull())
        .addColumn('labels', 'text', (c) => c.notNull())
        .addColumn('github_repo', 'text')
        .addColumn('github_token_sealed', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('repos_org_name_unique', ['org', 'name'])
        .execute();
      await db.schema
        .createTable('param_sets')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org', 'text', (c) => c.notNull().references('orgs.slug').onDelete('cascade'))
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('label_filters', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('param_sets_org').on('param_sets').column('org').execute();
      await db.schema
        .createTable('param_values')
        .addColumn('set_id', 'text', (c) =>
          c.notNull().references('param_sets.id').onDelete('cascade'),
        )
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('sealed_value', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('param_values_pk', ['set_id', 'name'])
        .execute();
      await db.schema
        .createTable('api_tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('org', 'text', (c) => c.references('orgs.slug').onDelete('cascade'))
        .addColumn('role', 'text')
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_used_at', 'text')
        .execute();
      await db.schema
        .createTable('runners')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('labels', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text')
        .execute();
      await db.schema
        .createTable('signing_keys')
        .addColumn('kid', 'text', (c) => c.primaryKey())
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('algorithm', 'text', (c) => c.notNull())
        .addColumn('wrapped_secret', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('retired_at', 'text')
        .execute();
    },
  },
  '0002_builds': buildsMigration,
  '0003_master_key_ids': keyIdsMigration,
  '0004_build_notes': buildNotesMigration,
  '0005_repo_untrusted_network': repoUntrustedNetworkMigration,
  '0006_web_sessions': webSessionsMigration,
  '0007_log_chunk_times': logChunkTimesMigration,
  '0008_job_approvals': jobApprovalsMigration,
  '0009_reused_jobs': reusedJobsMigration,
  '0010_job_outputs': jobOutputsMigration,
  '0011_repo_triggers': repoTriggersMigration,
  '0012_audit_log': auditLogMigration,
  '0013_schedules': schedulesMigration,
  '0014_status_outbox': statusOutboxMigration,
  '0015_runner_registration': runnerRegistrationMigration,
  '0016_concurrency': concurrencyMigration,
  '0017_retention': retentionMigration,
  '0018_runner_registration_tokens': runnerRegistrationTokensMigration,
  '0019_build_inputs': buildInputsMigration,
  '0020_pull_requests': pullRequestsMigration,
  '0021_deliveries_index': deliveriesIndexMigration,
};

const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrations) };

/** Brings the schema to the newest migration; throws (with the failing step as cause) if one fails. */
export async function migrateToLatest(db: Kysely<unknown>): Promise<void> {
  const migrator = new Migrator({ db, provider, migrationTableName: 'gibbon_migrations' });
  const { error, results } = await migrator.migrateToLatest();
  if (error === undefined) return;
  const failed = results?.find((result) => result.status === 'Error')?.migrationName ?? 'unknown';
  throw new Error(`Database migration ${failed} failed; the database is left as it was.`, {
    cause: error,
  });
}

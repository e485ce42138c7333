import type { Kysely, Migration } from 'kysely';

/**
 * One-time runner registration tokens (`POST /v1/runner-registration-tokens`): the secret is
 * stored as its SHA-256 only. A token registers one runner (`POST /v1/runner/register`): that
 * sets `used_at` and `runner_id` in the same transaction that inserts the runner. Revoking sets
 * `revoked_at` (the row stays, so a late registration hears why it was refused).
 */
export const runnerRegistrationTokensMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('runner_registration_tokens')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('labels', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('used_at', 'text')
      .addColumn('runner_id', 'text')
      .addColumn('revoked_at', 'text')
      .execute();
  },
};

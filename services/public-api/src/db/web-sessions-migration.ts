import type { Kysely, Migration } from 'kysely';

/**
 * Sessions of the web page (`POST /v1/session`): the SHA-256 of the cookie's secret, the API
 * token it was made from (deleting the token deletes its sessions), the CSRF token and the
 * expiry. Kept in the database so any public-api process behind a load balancer knows them.
 */
export const webSessionsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('web_sessions')
      .addColumn('secret_hash', 'text', (c) => c.primaryKey())
      .addColumn('token_id', 'text', (c) =>
        c.notNull().references('api_tokens.id').onDelete('cascade'),
      )
      .addColumn('csrf_token', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('web_sessions_token')
      .on('web_sessions')
      .column('token_id')
      .execute();
    await db.schema
      .createIndex('web_sessions_expiry')
      .on('web_sessions')
      .column('expires_at')
      .execute();
  },
};

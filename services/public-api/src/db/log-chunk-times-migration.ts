import type { Kysely, Migration } from 'kysely';

/**
 * When each log chunk was stored (the runner ships a job's log about every second), so the web
 * page can show when a line was written, to about a second. Chunks stored before this
 * migration have no time (`null`).
 */
export const logChunkTimesMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('log_chunks').addColumn('stored_at', 'text').execute();
  },
};

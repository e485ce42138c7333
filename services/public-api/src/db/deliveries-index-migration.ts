import type { Kysely, Migration } from 'kysely';

/**
 * The deliveries list (`GET .../repos/{repo}/deliveries`, newest first) reads a webhook's
 * deliveries by arrival time: an index on both keeps a page cheap however many there are.
 */
export const deliveriesIndexMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createIndex('deliveries_webhook_received')
      .on('deliveries')
      .columns(['webhook_id', 'received_at', 'id'])
      .execute();
  },
};

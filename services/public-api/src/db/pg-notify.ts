import { sql } from 'kysely';
import type { Db } from './database';

/**
 * The most a NOTIFY payload may hold: Postgres refuses 8000 bytes and more (its default
 * build); a little is kept free.
 */
export const maxNotifyPayloadBytes = 7_900;

/**
 * Sends `payloads` on `channel` in one statement, so they arrive in this order (one
 * transaction's notifications are delivered in the order sent). Postgres folds identical
 * payloads of one transaction into one; a caller whose payloads are wake-ups loses nothing.
 */
export async function notifyAll(
  db: Db,
  channel: string,
  payloads: readonly string[],
): Promise<void> {
  if (payloads.length === 0) return;
  await sql`select pg_notify(${channel}, payload)
    from unnest(${[...payloads]}::text[]) with ordinality as sent(payload, position)
    order by position`.execute(db);
}

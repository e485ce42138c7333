import type { Transaction } from 'kysely';
import type { Db } from './database';
import type { GibbonTables } from './schema';

export type Tx = Transaction<GibbonTables>;

/**
 * Vendor codes worth running a whole transaction again for: a unique violation (two
 * transactions inserted the same delivery or content key; the retry finds the winner's row),
 * Postgres serialization failures and deadlocks, and SQLite's busy errors between processes.
 */
const retryableCodes = new Set(['23505', '40001', '40P01', 'SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT']);
const maxAttempts = 4;

function isRetryable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('code' in error)) return false;
  return typeof error.code === 'string' && retryableCodes.has(error.code);
}

/**
 * Runs `work` in one transaction; when it fails for a reason another attempt can fix (see
 * above), runs it again from the start, up to 4 times. `work` must therefore read before it
 * decides, and have no side effects outside the transaction.
 */
export async function inTransaction<T>(db: Db, work: (trx: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await db.transaction().execute(work);
    } catch (error) {
      if (attempt >= maxAttempts || !isRetryable(error)) throw error;
    }
  }
}

import type { Db } from '../db/database';
import type { Tx } from '../db/transactions';

const slot = 'current';

/**
 * The one row naming the master key new keys are wrapped by. A key is wrapped and stored in a
 * transaction that first reads this row with `lock` (Postgres: `FOR SHARE`, held until the
 * transaction ends; SQLite serialises writers anyway), so a rotation's `switchTo` waits for
 * wraps in flight and every later wrap sees the new key: none can be stored under the old key
 * after the rotation has started re-wrapping.
 */
export class MasterKeyStateRepository {
  constructor(
    private readonly db: Db,
    private readonly canLockRows: boolean,
  ) {}

  async current(executor: Db | Tx = this.db, lock = false): Promise<string | undefined> {
    let query = executor.selectFrom('master_key_state').select('key_id').where('slot', '=', slot);
    if (lock && this.canLockRows) query = query.forShare();
    return (await query.executeTakeFirst())?.key_id;
  }

  /** Names `keyId` as current unless a row exists already (first start, another process). */
  async initialise(executor: Db | Tx, keyId: string, at: string): Promise<void> {
    await executor
      .insertInto('master_key_state')
      .values({ slot, key_id: keyId, changed_at: at })
      .onConflict((conflict) => conflict.column('slot').doNothing())
      .execute();
  }

  async switchTo(keyId: string, at: string): Promise<void> {
    await this.db
      .insertInto('master_key_state')
      .values({ slot, key_id: keyId, changed_at: at })
      .onConflict((conflict) =>
        conflict.column('slot').doUpdateSet({ key_id: keyId, changed_at: at }),
      )
      .execute();
  }
}

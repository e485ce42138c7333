import type { Db } from '../db/database';
import type { LeasesTable } from '../db/builds-schema';

export type LeaseRecord = Readonly<LeasesTable>;

/**
 * Leases of builds to runners. `hold` is the fencing primitive: one conditional UPDATE that
 * succeeds only for the build's active, unexpired lease. Inside a transaction it also locks
 * the lease row (Postgres) or holds the write lock (SQLite) until commit, so the sweeper
 * cannot take the lease back half-way through a runner's call.
 */
export class LeasesRepository {
  constructor(private readonly db: Db) {}

  async insert(lease: LeaseRecord): Promise<void> {
    await this.db.insertInto('leases').values(lease).execute();
  }

  /** How many builds each runner holds an active lease on now (runners holding none absent). */
  async activeCountByRunner(): Promise<Map<string, number>> {
    const rows = await this.db
      .selectFrom('leases')
      .select(['runner_id'])
      .select((eb) => eb.fn.countAll<number | string | bigint>().as('count'))
      .where('state', '=', 'active')
      .groupBy('runner_id')
      .execute();
    return new Map(rows.map((row) => [row.runner_id, Number(row.count)]));
  }

  find(id: string): Promise<LeaseRecord | undefined> {
    return this.db.selectFrom('leases').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** `true` when `leaseId` is `buildId`'s active lease and not expired at `now`. */
  async hold(buildId: string, leaseId: string, now: string, extendTo?: string): Promise<boolean> {
    const result = await this.db
      .updateTable('leases')
      .set((eb) => ({ expires_at: extendTo ?? eb.ref('expires_at') }))
      .where('id', '=', leaseId)
      .where('build_id', '=', buildId)
      .where('state', '=', 'active')
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async end(leaseId: string): Promise<void> {
    await this.db.updateTable('leases').set({ state: 'ended' }).where('id', '=', leaseId).execute();
  }

  /** Active leases that expired at or before `now`, oldest first. */
  expired(now: string, limit: number): Promise<LeaseRecord[]> {
    return this.db
      .selectFrom('leases')
      .selectAll()
      .where('state', '=', 'active')
      .where('expires_at', '<=', now)
      .orderBy('expires_at')
      .limit(limit)
      .execute();
  }

  /** The build's leases that were taken back or given back, oldest first. */
  lostOf(buildId: string): Promise<LeaseRecord[]> {
    return this.db
      .selectFrom('leases')
      .selectAll()
      .where('build_id', '=', buildId)
      .where('state', '=', 'lost')
      .orderBy('created_at')
      .execute();
  }

  /** Takes an expired lease back; `false` if it was renewed or taken meanwhile. */
  async takeBack(leaseId: string, now: string): Promise<boolean> {
    const result = await this.db
      .updateTable('leases')
      .set({ state: 'lost' })
      .where('id', '=', leaseId)
      .where('state', '=', 'active')
      .where('expires_at', '<=', now)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Ends an active lease early (its claim never reached the runner); `false` if not active. */
  async giveBack(leaseId: string): Promise<boolean> {
    const result = await this.db
      .updateTable('leases')
      .set({ state: 'lost' })
      .where('id', '=', leaseId)
      .where('state', '=', 'active')
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }
}

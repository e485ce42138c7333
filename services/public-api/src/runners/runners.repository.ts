import type { Db } from '../db/database';
import type { RunnersTable } from '../db/schema';
import type { Label, Runner, RunnerPlatform } from '../domain';

function toRunner(row: RunnersTable): Runner {
  return {
    id: row.id,
    name: row.name,
    labels: JSON.parse(row.labels) as Label[],
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    platform: row.os !== null && row.arch !== null ? { os: row.os, arch: row.arch } : null,
    draining: row.draining === 1,
  };
}

/** Registered build-runners; each is known by the SHA-256 of its token. */
export class RunnersRepository {
  constructor(private readonly db: Db) {}

  async insert(runner: Runner, tokenHash: string): Promise<void> {
    await this.db
      .insertInto('runners')
      .values({
        id: runner.id,
        name: runner.name,
        labels: JSON.stringify(runner.labels),
        token_hash: tokenHash,
        created_at: runner.createdAt,
        last_seen_at: runner.lastSeenAt,
        os: runner.platform?.os ?? null,
        arch: runner.platform?.arch ?? null,
        draining: runner.draining ? 1 : 0,
      })
      .execute();
  }

  async list(): Promise<Runner[]> {
    const rows = await this.db
      .selectFrom('runners')
      .selectAll()
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toRunner);
  }

  async findById(id: string): Promise<Runner | undefined> {
    const row = await this.db
      .selectFrom('runners')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toRunner(row);
  }

  async findByTokenHash(tokenHash: string): Promise<Runner | undefined> {
    const row = await this.db
      .selectFrom('runners')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    return row && toRunner(row);
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('runners').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async touch(id: string, at: string): Promise<void> {
    await this.db.updateTable('runners').set({ last_seen_at: at }).where('id', '=', id).execute();
  }

  async recordPlatform(id: string, platform: RunnerPlatform): Promise<void> {
    await this.db
      .updateTable('runners')
      .set({ os: platform.os, arch: platform.arch })
      .where('id', '=', id)
      .execute();
  }

  /** Marks the runner draining; false when there is no such runner. */
  async drain(id: string): Promise<boolean> {
    const result = await this.db
      .updateTable('runners')
      .set({ draining: 1 })
      .where('id', '=', id)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async isDraining(id: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('runners')
      .select('draining')
      .where('id', '=', id)
      .executeTakeFirst();
    return row?.draining === 1;
  }
}

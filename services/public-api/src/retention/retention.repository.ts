import type { Db } from '../db/database';
import type { RetentionPoliciesTable, RetentionTombstonesTable } from '../db/schema';

export type TombstoneKind = RetentionTombstonesTable['kind'];

/** A finished build the sweeper may let go, with what its storage keys are built from. */
export interface SweepableBuild {
  readonly id: string;
  readonly org: string;
  readonly repo: string;
  readonly number: number;
}

/** Statuses of a build that ended: only these are ever swept (spec section 2, "Statuses"). */
const finishedStatuses = ['success', 'failure', 'error', 'canceled', 'timed_out'] as const;

/** Policies by org, and the queries and claims of the retention sweeper. */
export class RetentionRepository {
  constructor(private readonly db: Db) {}

  findPolicy(org: string): Promise<RetentionPoliciesTable | undefined> {
    return this.db
      .selectFrom('retention_policies')
      .selectAll()
      .where('org', '=', org)
      .executeTakeFirst();
  }

  async savePolicy(row: RetentionPoliciesTable): Promise<void> {
    const columns = {
      builds_days: row.builds_days,
      builds_keep_last: row.builds_keep_last,
      logs_days: row.logs_days,
      artifacts_days: row.artifacts_days,
      updated_at: row.updated_at,
    };
    await this.db
      .insertInto('retention_policies')
      .values(row)
      .onConflict((conflict) => conflict.column('org').doUpdateSet(columns))
      .execute();
  }

  /** Every policy that lets something go (rows with only nulls keep everything). */
  policies(): Promise<RetentionPoliciesTable[]> {
    return this.db
      .selectFrom('retention_policies')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb('builds_days', 'is not', null),
          eb('builds_keep_last', 'is not', null),
          eb('logs_days', 'is not', null),
          eb('artifacts_days', 'is not', null),
        ]),
      )
      .execute();
  }

  /** Finished builds of `org` that ended before `cutoff`, oldest first. */
  endedBefore(org: string, cutoff: string, limit: number): Promise<SweepableBuild[]> {
    return this.finished()
      .where('org', '=', org)
      .where('finished_at', '<', cutoff)
      .orderBy('finished_at')
      .limit(limit)
      .execute();
  }

  /** Like `endedBefore`, but only builds without a tombstone of `kind` yet. */
  endedBeforeWithout(
    org: string,
    kind: TombstoneKind,
    cutoff: string,
    limit: number,
  ): Promise<SweepableBuild[]> {
    return this.finished()
      .where('org', '=', org)
      .where('finished_at', '<', cutoff)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('retention_tombstones')
              .select('build_id')
              .whereRef('retention_tombstones.build_id', '=', 'builds.id')
              .where('kind', '=', kind),
          ),
        ),
      )
      .orderBy('finished_at')
      .limit(limit)
      .execute();
  }

  /** The finished builds of each repository of `org` beyond its newest `keep`, by number. */
  async beyondNewest(org: string, keep: number, limit: number): Promise<SweepableBuild[]> {
    const repos = await this.db.selectFrom('repos').select('id').where('org', '=', org).execute();
    const found: SweepableBuild[] = [];
    for (const { id } of repos) {
      const rows = await this.finished()
        .where('repo_id', '=', id)
        .orderBy('number', 'desc')
        .offset(keep)
        .limit(limit)
        .execute();
      found.push(...rows);
    }
    return found;
  }

  /**
   * The claim on deleting a build: true for the one caller whose delete removed the row (its
   * jobs, log index, notes and tombstones go with it by cascade). Only a finished build goes.
   */
  async deleteBuild(id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('builds')
      .where('id', '=', id)
      .where('status', 'in', finishedStatuses)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /** The claim on expiring a build's logs or artifacts: true for the one caller whose row landed. */
  async insertTombstone(row: RetentionTombstonesTable): Promise<boolean> {
    const result = await this.db
      .insertInto('retention_tombstones')
      .values(row)
      .onConflict((conflict) => conflict.columns(['build_id', 'kind']).doNothing())
      .executeTakeFirst();
    return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
  }

  /** The log index and the public-api notes of the `_script` log, after the chunks went. */
  async deleteLogRows(buildId: string): Promise<void> {
    await this.db.deleteFrom('log_chunks').where('build_id', '=', buildId).execute();
    await this.db.deleteFrom('build_notes').where('build_id', '=', buildId).execute();
  }

  findTombstone(
    buildId: string,
    kind: TombstoneKind,
  ): Promise<RetentionTombstonesTable | undefined> {
    return this.db
      .selectFrom('retention_tombstones')
      .selectAll()
      .where('build_id', '=', buildId)
      .where('kind', '=', kind)
      .executeTakeFirst();
  }

  private finished() {
    return this.db
      .selectFrom('builds')
      .select(['id', 'org', 'repo', 'number'])
      .where('status', 'in', finishedStatuses)
      .where('finished_at', 'is not', null);
  }
}

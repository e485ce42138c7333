import { sql } from 'kysely';
import type { Db } from '../db/database';
import type { StoredBuildStatus } from '../db/builds-schema';

/** A claimed outbox row with what its link needs (the build's org, repository and number). */
export interface OutboxStatus {
  readonly id: string;
  readonly buildId: string;
  readonly repoId: string;
  readonly org: string;
  readonly repo: string;
  readonly number: number;
  readonly commit: string;
  readonly buildStatus: StoredBuildStatus;
  readonly createdAt: string;
  /** Attempts so far, this one included. */
  readonly attempts: number;
}

/**
 * Queues the build's current status for GitHub, on `db`, which must be the transaction that
 * just changed it (so the row and the change commit together, or neither). Writes nothing
 * for a build without a known commit or a repository without `githubRepo` and a GitHub token:
 * there is nothing to send then. Runs after the build's UPDATE, whose row lock orders the
 * ids of one build's rows as their changes commit.
 */
export async function queueCommitStatus(db: Db, buildId: string, at: string): Promise<void> {
  await db
    .insertInto('status_outbox')
    .columns(['build_id', 'repo_id', 'commit_sha', 'build_status', 'created_at', 'next_attempt_at'])
    .expression(
      db
        .selectFrom('builds')
        .innerJoin('repos', 'repos.id', 'builds.repo_id')
        .select([
          'builds.id',
          'builds.repo_id',
          sql<string>`builds.commit_sha`.as('commit_sha'),
          'builds.status',
          sql<string>`cast(${at} as text)`.as('created_at'),
          sql<string>`cast(${at} as text)`.as('next_attempt_at'),
        ])
        .where('builds.id', '=', buildId)
        .where('builds.commit_sha', 'is not', null)
        .where('repos.github_repo', 'is not', null)
        .where('repos.github_token_sealed', 'is not', null),
    )
    .execute();
}

/**
 * The sender's side of `status_outbox`. Several public-api processes may share the table:
 * a row is sent by whoever holds its lease, and only the oldest row of a (repository, commit)
 * can be claimed, so one commit's statuses go out one at a time in the order they were stored.
 */
export class StatusOutboxRepository {
  /** `skipLocked` on Postgres: concurrent claims pass over each other's rows instead of waiting. */
  constructor(
    private readonly db: Db,
    private readonly skipLocked: boolean,
  ) {}

  /**
   * Leases up to `limit` due rows to `owner` until `leaseUntil`, counting an attempt on each.
   * A row is due when its `next_attempt_at` passed, nobody holds a live lease on it, and no
   * older row of its commit is left. The outer lease test makes a row taken meanwhile (by a
   * claim that committed first) match nothing.
   */
  async claimDue(owner: string, now: string, leaseUntil: string, limit: number) {
    const claimed = await this.db
      .updateTable('status_outbox')
      .set((eb) => ({
        lease_owner: owner,
        lease_expires_at: leaseUntil,
        attempts: eb('attempts', '+', 1),
      }))
      .where('id', 'in', (eb) => {
        const due = eb
          .selectFrom('status_outbox as due')
          .select('due.id')
          .where('due.next_attempt_at', '<=', now)
          .where((w) =>
            w.or([w('due.lease_expires_at', 'is', null), w('due.lease_expires_at', '<=', now)]),
          )
          .where((w) =>
            w.not(
              w.exists(
                w
                  .selectFrom('status_outbox as older')
                  .select('older.id')
                  .whereRef('older.repo_id', '=', 'due.repo_id')
                  .whereRef('older.commit_sha', '=', 'due.commit_sha')
                  .whereRef('older.id', '<', 'due.id'),
              ),
            ),
          )
          .orderBy('due.id')
          .limit(limit);
        return this.skipLocked ? due.forUpdate().skipLocked() : due;
      })
      .where((w) => w.or([w('lease_expires_at', 'is', null), w('lease_expires_at', '<=', now)]))
      .returning('id')
      .execute();
    return this.withBuilds(claimed.map((row) => row.id));
  }

  /** Sent or given up: the row goes (only while `owner` still holds it). */
  async remove(id: string, owner: string): Promise<void> {
    await this.db
      .deleteFrom('status_outbox')
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .execute();
  }

  /** Another attempt at `nextAttemptAt`; the lease ends so any process may make it. */
  async retryAt(id: string, owner: string, nextAttemptAt: string, error: string | null) {
    await this.db
      .updateTable('status_outbox')
      .set({
        next_attempt_at: nextAttemptAt,
        lease_owner: null,
        lease_expires_at: null,
        last_error: error,
      })
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .execute();
  }

  /** Rows left, oldest first (tests and the docs' "what is waiting" query). */
  async pending(): Promise<{ id: string; buildStatus: StoredBuildStatus; attempts: number }[]> {
    const rows = await this.db
      .selectFrom('status_outbox')
      .select(['id', 'build_status', 'attempts'])
      .orderBy('id')
      .execute();
    return rows.map((row) => ({
      id: String(row.id),
      buildStatus: row.build_status,
      attempts: row.attempts,
    }));
  }

  private async withBuilds(ids: readonly (string | number)[]): Promise<OutboxStatus[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .selectFrom('status_outbox')
      .innerJoin('builds', 'builds.id', 'status_outbox.build_id')
      .select([
        'status_outbox.id',
        'status_outbox.build_id',
        'status_outbox.repo_id',
        'status_outbox.commit_sha',
        'status_outbox.build_status',
        'status_outbox.created_at',
        'status_outbox.attempts',
        'builds.org',
        'builds.repo',
        'builds.number',
      ])
      .where('status_outbox.id', 'in', ids)
      .orderBy('status_outbox.id')
      .execute();
    return rows.map((row) => ({
      id: String(row.id),
      buildId: row.build_id,
      repoId: row.repo_id,
      org: row.org,
      repo: row.repo,
      number: Number(row.number),
      commit: row.commit_sha,
      buildStatus: row.build_status,
      createdAt: row.created_at,
      attempts: Number(row.attempts),
    }));
  }
}

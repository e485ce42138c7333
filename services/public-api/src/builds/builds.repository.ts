import type { Db } from '../db/database';
import type { StoredBuildStatus } from '../db/builds-schema';
import type { Build, BuildWithJobs, GitFacts, Job, NewBuild } from './build';
import { newId, nowIso } from '../ids';
import { queueCommitStatus } from '../statuses';
import { toStoredText } from '../db/nul-safe-text';
import { buildRowOf, toBuild, toJob, toJobApproval } from './build-rows';

/**
 * Builds, their numbers and their jobs. Every method runs on the `Db` it was made with: the
 * store makes one on the pool and one on each transaction (`store.transaction`), to group writes.
 *
 * Invariant: every method that changes a build's status (or learns its commit) also queues
 * the commit status for GitHub in the same transaction (statuses/README.md), so a stored
 * change is never left unreported, even if the process stops right after it. Those methods
 * refuse to run outside a transaction.
 */
export class BuildsRepository {
  constructor(private readonly db: Db) {}

  /** Queues the build's status for GitHub; the status change must be in this transaction. */
  private async statusChanged(buildId: string): Promise<void> {
    await queueCommitStatus(this.db, buildId, nowIso());
  }

  private assertInTransaction(method: string): void {
    if (this.db.isTransaction) return;
    throw new Error(
      `BuildsRepository.${method} changes a build's status; call it inside store.transaction so its commit status is queued with it.`,
    );
  }

  /**
   * Inserts a queued build with the repository's next number. The counter upsert takes the
   * counter row's lock (Postgres) or the write lock (SQLite) until the transaction ends, so
   * two inserts never get one number; call it inside a transaction so a failed insert gives
   * its number back.
   */
  async insertQueued(build: NewBuild, at: string): Promise<Build> {
    this.assertInTransaction('insertQueued');
    const counter = await this.db
      .insertInto('build_counters')
      .values({ repo_id: build.repoId, last_number: 1 })
      .onConflict((oc) =>
        oc.column('repo_id').doUpdateSet((eb) => ({
          last_number: eb('build_counters.last_number', '+', 1),
        })),
      )
      .returning('last_number')
      .executeTakeFirstOrThrow();
    const row = buildRowOf(newId('bld'), Number(counter.last_number), build, at);
    await this.db.insertInto('builds').values(row).execute();
    await this.statusChanged(row.id);
    return toBuild(row);
  }

  async findById(id: string): Promise<Build | undefined> {
    const row = await this.db
      .selectFrom('builds')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toBuild(row);
  }

  async findByNumber(repoId: string, number: number): Promise<Build | undefined> {
    const row = await this.db
      .selectFrom('builds')
      .selectAll()
      .where('repo_id', '=', repoId)
      .where('number', '=', number)
      .executeTakeFirst();
    return row && toBuild(row);
  }

  /** Newest first; `before` is the number the previous page ended at. */
  async list(repoId: string, limit: number, before?: number): Promise<Build[]> {
    let query = this.db.selectFrom('builds').selectAll().where('repo_id', '=', repoId);
    if (before !== undefined) query = query.where('number', '<', before);
    const rows = await query.orderBy('number', 'desc').limit(limit).execute();
    return rows.map(toBuild);
  }

  async countForRepo(repoId: string): Promise<number> {
    const { count } = await this.db
      .selectFrom('builds')
      .select((eb) => eb.fn.countAll<string | number>().as('count'))
      .where('repo_id', '=', repoId)
      .executeTakeFirstOrThrow();
    return Number(count);
  }

  /** The queue's depth: builds waiting for a runner (one COUNT, read at each metrics scrape). */
  async countQueued(): Promise<number> {
    const { count } = await this.db
      .selectFrom('builds')
      .select((eb) => eb.fn.countAll<string | number>().as('count'))
      .where('status', '=', 'queued')
      .executeTakeFirstOrThrow();
    return Number(count);
  }

  /**
   * Builds queued, started or finished at `at` or later, or with a job that started or
   * finished then; newest first, at most `limit`. Read after the events connection was lost
   * (`catchUp`): rare, so it may scan the table.
   */
  async touchedSince(at: string, limit: number): Promise<Build[]> {
    const rows = await this.db
      .selectFrom('builds')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb('created_at', '>=', at),
          eb('started_at', '>=', at),
          eb('finished_at', '>=', at),
          eb(
            'id',
            'in',
            eb
              .selectFrom('jobs')
              .select('build_id')
              .where((jobs) =>
                jobs.or([jobs('started_at', '>=', at), jobs('finished_at', '>=', at)]),
              ),
          ),
        ]),
      )
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toBuild);
  }

  async withJobs(builds: readonly Build[]): Promise<BuildWithJobs[]> {
    if (builds.length === 0) return [];
    const rows = await this.db
      .selectFrom('jobs')
      .selectAll()
      .where(
        'build_id',
        'in',
        builds.map((build) => build.id),
      )
      .orderBy('position')
      .execute();
    const approvals = await this.db
      .selectFrom('job_approvals')
      .selectAll()
      .where(
        'build_id',
        'in',
        builds.map((build) => build.id),
      )
      .execute();
    const approvalOf = new Map(
      approvals.map((row) => [`${row.build_id}/${row.job_id}`, toJobApproval(row)]),
    );
    const byBuild = new Map<string, Job[]>();
    for (const row of rows) {
      const approval = approvalOf.get(`${row.build_id}/${row.job_id}`);
      const job = approval ? { ...toJob(row), approval } : toJob(row);
      byBuild.set(row.build_id, [...(byBuild.get(row.build_id) ?? []), job]);
    }
    return builds.map((build) => ({ ...build, jobs: byBuild.get(build.id) ?? [] }));
  }

  /**
   * Moves a build from one of `from` to `to`; `false` if it was in none of them (someone else
   * moved it first). `finishedAt`/`message` are set when given.
   */
  async transition(
    id: string,
    from: readonly StoredBuildStatus[],
    to: StoredBuildStatus,
    changes: { finishedAt?: string; message?: string | null } = {},
  ): Promise<boolean> {
    this.assertInTransaction('transition');
    const result = await this.db
      .updateTable('builds')
      .set({
        status: to,
        finished_at: changes.finishedAt,
        end_message: changes.message === undefined ? undefined : toStoredText(changes.message),
      })
      .where('id', '=', id)
      .where('status', 'in', from)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) return false;
    await this.statusChanged(id);
    return true;
  }

  /**
   * Takes the oldest queued build (not asked to cancel) and marks it running, in one UPDATE.
   * With `skipLocked` (Postgres) the candidate row is locked `FOR UPDATE SKIP LOCKED`, so
   * concurrent claims each take a different build instead of waiting on one another; SQLite
   * runs the statement under its single write lock. The outer `status = 'queued'` makes a
   * build taken meanwhile match nothing. Builds of `excludedRepoIds` are left for other
   * runners (`runs-on` labels). `undefined` when nothing is queued for this runner.
   */
  async claimOldestQueued(
    now: string,
    skipLocked: boolean,
    excludedRepoIds: readonly string[] = [],
  ): Promise<Build | undefined> {
    this.assertInTransaction('claimOldestQueued');
    const row = await this.db
      .updateTable('builds')
      .set((eb) => ({
        status: 'running',
        started_at: eb.fn.coalesce('started_at', eb.val(now)),
        claims: eb('claims', '+', 1),
      }))
      .where('id', '=', (eb) => {
        const oldest = eb
          .selectFrom('builds as queued')
          .select('queued.id')
          .where('queued.status', '=', 'queued')
          .where('queued.cancel_requested', '=', 0)
          // One running build per concurrency group; the unique index
          // builds_one_running_per_group settles a race between two claims.
          .where((inner) =>
            inner.not(
              inner.exists(
                inner
                  .selectFrom('builds as running')
                  .select('running.id')
                  .whereRef('running.repo_id', '=', 'queued.repo_id')
                  .whereRef('running.concurrency_group', '=', 'queued.concurrency_group')
                  .where('running.status', '=', 'running'),
              ),
            ),
          )
          .$if(excludedRepoIds.length > 0, (q) =>
            q.where('queued.repo_id', 'not in', excludedRepoIds),
          )
          .orderBy('queued.created_at')
          .orderBy('queued.number')
          .limit(1);
        return skipLocked ? oldest.forUpdate().skipLocked() : oldest;
      })
      .where('status', '=', 'queued')
      .returningAll()
      .executeTakeFirst();
    if (!row) return undefined;
    await this.statusChanged(row.id);
    return toBuild(row);
  }

  /**
   * Records what the checkout learnt about the commit (`build.started`). A build that learns
   * its commit only now (triggered by branch) gets its running status queued for that commit.
   */
  async recordCheckout(
    id: string,
    git: Pick<GitFacts, 'commit' | 'message' | 'author' | 'changedFiles'>,
    at: string,
  ): Promise<void> {
    this.assertInTransaction('recordCheckout');
    const before = await this.db
      .selectFrom('builds')
      .select('commit_sha')
      .where('id', '=', id)
      .executeTakeFirst();
    await this.db
      .updateTable('builds')
      .set({
        commit_sha: git.commit,
        message: toStoredText(git.message),
        author_name: toStoredText(git.author?.name ?? null),
        author_email: toStoredText(git.author?.email ?? null),
        changed_files: JSON.stringify(git.changedFiles),
        started_at: at,
      })
      .where('id', '=', id)
      .execute();
    if (before && before.commit_sha !== git.commit) await this.statusChanged(id);
  }

  /** Puts a claimed build back in the queue without counting the claim. */
  async unclaim(id: string): Promise<Build | undefined> {
    this.assertInTransaction('unclaim');
    const row = await this.db
      .updateTable('builds')
      .set((eb) => ({ status: 'queued', claims: eb('claims', '-', 1) }))
      .where('id', '=', id)
      .where('status', '=', 'running')
      .returningAll()
      .executeTakeFirst();
    if (!row) return undefined;
    await this.statusChanged(row.id);
    return toBuild(row);
  }

  /** The builds of a group, older than `number`, not finished and not asked to cancel. */
  async olderInGroup(repoId: string, group: string, number: number): Promise<Build[]> {
    const rows = await this.db
      .selectFrom('builds')
      .selectAll()
      .where('repo_id', '=', repoId)
      .where('concurrency_group', '=', group)
      .where('status', 'in', ['queued', 'running'])
      .where('cancel_requested', '=', 0)
      .where('number', '<', number)
      .orderBy('number')
      .execute();
    return rows.map(toBuild);
  }

  /** The builds of `ref` (a pull request's `refs/pull/N/head`) still queued or running. */
  async unfinishedOfRef(repoId: string, ref: string): Promise<Build[]> {
    const rows = await this.db
      .selectFrom('builds')
      .selectAll()
      .where('repo_id', '=', repoId)
      .where('ref', '=', toStoredText(ref))
      .where('status', 'in', ['queued', 'running'])
      .orderBy('number')
      .execute();
    return rows.map(toBuild);
  }

  async requestCancel(id: string): Promise<void> {
    await this.db.updateTable('builds').set({ cancel_requested: 1 }).where('id', '=', id).execute();
  }
}

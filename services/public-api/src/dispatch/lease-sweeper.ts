import type { Db } from '../db/database';
import { inTransaction } from '../db/transactions';
import { nowIso } from '../ids';
import type { Logger } from '../logger';
import { BuildsRepository } from '../repositories/builds.repository';
import { JobsRepository } from '../repositories/jobs.repository';
import { LeasesRepository, type LeaseRecord } from '../repositories/leases.repository';
import { buildStatusEvent } from '../builds/build-events';
import type { BuildHub } from '../builds/build-hub';

/** A build whose lease was lost this many times is failed instead of re-queued. */
const maxClaims = 2;
const batch = 50;

/**
 * Takes back leases that were not renewed in time. The first loss re-queues the build (its
 * jobs and log index start over); the second fails it as `error`; a build that was asked to
 * cancel is `canceled`. Each lease is taken back in its own transaction with a conditional
 * UPDATE, so a heartbeat that won the race keeps its lease, and several public-api processes
 * may sweep at once without taking one lease twice.
 *
 * Lifecycle: `start()` once, `stop()` at shutdown (safe to call twice or without `start`).
 */
export class LeaseSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly hub: BuildHub,
    private readonly logger: Logger,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => {
      this.running = this.sweep().catch((error: unknown) =>
        this.logger.log('error', 'lease sweep failed', { error }),
      );
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One pass; returns how many leases it took back. */
  async sweep(): Promise<number> {
    const now = nowIso();
    const expired = await new LeasesRepository(this.db).expired(now, batch);
    let taken = 0;
    for (const lease of expired) if (await this.takeBack(lease, now)) taken += 1;
    return taken;
  }

  private async takeBack(lease: LeaseRecord, now: string): Promise<boolean> {
    const outcome = await inTransaction(this.db, async (trx) => {
      if (!(await new LeasesRepository(trx).takeBack(lease.id, now))) return undefined;
      const builds = new BuildsRepository(trx);
      const build = await builds.findById(lease.build_id);
      if (!build || build.status !== 'running') return undefined;
      const jobs = new JobsRepository(trx);
      if (build.cancelRequested) {
        await jobs.endOpenJobs(build.id, 'canceled', now);
        await builds.transition(build.id, ['running'], 'canceled', {
          finishedAt: now,
          message: 'Canceled; the runner stopped answering before it confirmed.',
        });
        return { ...build, status: 'canceled' as const };
      }
      if (build.claims < maxClaims) {
        await jobs.deleteAll(build.id);
        await builds.transition(build.id, ['running'], 'queued');
        return { ...build, status: 'queued' as const };
      }
      await jobs.endOpenJobs(build.id, 'error', now);
      await builds.transition(build.id, ['running'], 'error', {
        finishedAt: now,
        message: `The runner stopped renewing its lease ${build.claims} times (last: runner ${lease.runner_id}); the build was given up.`,
      });
      return { ...build, status: 'error' as const };
    });
    if (!outcome) return false;
    this.logger.log('warn', 'lease taken back', {
      buildId: outcome.id,
      runnerId: lease.runner_id,
      now: outcome.status,
    });
    if (outcome.status === 'queued') this.hub.buildQueued();
    this.hub.publish(buildStatusEvent(outcome));
    return true;
  }
}

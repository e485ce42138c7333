import { nowIso } from '../ids';
import type { Logger } from '../logger';
import type { Store } from '../store';
import type { LeaseRecord } from './leases.repository';
import { buildStatusEvent, type BuildHub } from '../events';
import { recordRequeue } from './lost-runner';
import { PeriodicPass } from '../periodic-pass';

/** A build whose runner took it up and then stopped renewing this many times is failed. */
const maxRenewedLosses = 2;
/**
 * A bound on every lost or given-back lease of a build, taken up or not, so a build that
 * kills its runner before the first heartbeat cannot circle through the queue forever.
 */
const maxLosses = 5;
const batch = 50;

/**
 * Takes back leases that were not renewed in time. The first loss re-queues the build (its
 * jobs and log index start over; a line at the top of its `_script` log and a `build.requeued`
 * event say which runner stopped responding when); the second fails it as `error`; a build that was asked to
 * cancel is `canceled`. Each lease is taken back in its own transaction with a conditional
 * UPDATE, so a heartbeat that won the race keeps its lease, and several public-api processes
 * may sweep at once without taking one lease twice.
 *
 * Only losses of leases the runner renewed at least once count towards the second: a lease
 * that never got a heartbeat most likely never reached its runner (a long-poll claim answered
 * into a connection a network partition had silently cut, or a runner stopped while the
 * answer was on its way), and counting it would fail a build that no runner ever ran, often
 * by handing its re-queue to the same dead connection. Those are re-queued, up to `maxLosses`
 * losses in all. A lease was renewed when its span is longer than the lease time (the claim
 * sets both ends from one instant; a heartbeat moves the end).
 *
 * Lifecycle: `start()` once, `stop()` at shutdown (safe to call twice or without `start`).
 */
export class LeaseSweeper {
  private readonly passes: PeriodicPass;

  constructor(
    private readonly store: Store,
    private readonly hub: BuildHub,
    private readonly logger: Logger,
    intervalMs: number,
    private readonly leaseMs: number,
  ) {
    this.passes = new PeriodicPass(() => this.sweep(), intervalMs, logger, 'lease sweep failed');
  }

  start(): void {
    this.passes.start();
  }

  stop(): Promise<void> {
    return this.passes.stop();
  }

  /** One pass; returns how many leases it took back. */
  async sweep(): Promise<number> {
    const now = nowIso();
    const expired = await this.store.leases.expired(now, batch);
    let taken = 0;
    for (const lease of expired) if (await this.takeBack(lease, now)) taken += 1;
    return taken;
  }

  private wasRenewed(lease: LeaseRecord): boolean {
    return Date.parse(lease.expires_at) - Date.parse(lease.created_at) > this.leaseMs;
  }

  private async takeBack(lease: LeaseRecord, now: string): Promise<boolean> {
    const outcome = await this.store.transaction(async (tx) => {
      const { leases, builds, jobs } = tx;
      if (!(await leases.takeBack(lease.id, now))) return undefined;
      const build = await builds.findById(lease.build_id);
      if (!build || build.status !== 'running') return undefined;
      if (build.cancelRequested) {
        await jobs.endOpenJobs(build.id, 'canceled', now);
        await builds.transition(build.id, ['running'], 'canceled', {
          finishedAt: now,
          message: 'Canceled; the runner stopped answering before it confirmed.',
        });
        return { ...build, status: 'canceled' as const, finishedAt: now };
      }
      const lost = await leases.lostOf(build.id);
      const renewedLosses = lost.filter((each) => this.wasRenewed(each)).length;
      if (renewedLosses < maxRenewedLosses && lost.length < maxLosses) {
        await jobs.deleteAll(build.id);
        await builds.transition(build.id, ['running'], 'queued');
        const requeued = await recordRequeue(tx, build, lease, this.leaseMs, now);
        return { ...build, status: 'queued' as const, requeued };
      }
      await jobs.endOpenJobs(build.id, 'error', now);
      const message =
        renewedLosses >= maxRenewedLosses
          ? `The runner stopped renewing its lease ${renewedLosses} times (last: runner ${lease.runner_id}); the build was given up.`
          : `The build was handed to a runner ${lost.length} times and never taken up (last: runner ${lease.runner_id}); the build was given up.`;
      await builds.transition(build.id, ['running'], 'error', { finishedAt: now, message });
      return { ...build, status: 'error' as const, finishedAt: now };
    });
    if (!outcome) return false;
    this.logger.log('warn', 'lease taken back', {
      buildId: outcome.id,
      runnerId: lease.runner_id,
      now: outcome.status,
    });
    if (outcome.status === 'queued') this.hub.buildQueued();
    if ('requeued' in outcome) this.hub.publish(outcome.requeued);
    this.hub.publish(buildStatusEvent(outcome));
    if (outcome.status !== 'queued') this.hub.buildFinished(outcome);
    return true;
  }
}

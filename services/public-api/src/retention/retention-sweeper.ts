import { artifactPrefix, buildPrefixes, logPrefix, type BlobStore } from '@gibbon/storage';
import type { RetentionPoliciesTable } from '../db/schema';
import { nowIso } from '../ids';
import type { Logger } from '../logger';
import type { RetentionRepository, SweepableBuild, TombstoneKind } from './retention.repository';
import { PeriodicPass } from '../periodic-pass';

/** Builds looked at per org, rule and pass; the next pass takes the rest. */
const batch = 100;
const dayMs = 24 * 60 * 60 * 1000;

/** What one pass deleted (each counted by the process whose claim won it). */
export interface SweepCounts {
  builds: number;
  logs: number;
  artifacts: number;
}

/**
 * Enforces the orgs' retention policies (services/public-api/README.md, "Retention"). Every
 * public-api process runs one; each deletion is a claim in the database first (the delete of
 * the build row, or the insert of a tombstone), and only the claim's winner deletes the
 * objects, so two sweepers never both delete one build's objects and neither fails (a
 * `BlobStore` delete of a missing key succeeds anyway). Builds still queued or running are
 * never selected. A process that stops between its claim and the objects' deletion leaves
 * those objects behind (they are unreachable through the API).
 *
 * Lifecycle: `start()` once, `stop()` at shutdown (safe twice or without `start`); `sweep()`
 * runs one pass directly (tests).
 */
export class RetentionSweeper {
  private readonly passes: PeriodicPass;

  constructor(
    private readonly retention: RetentionRepository,
    private readonly store: BlobStore,
    private readonly logger: Logger,
    intervalMs: number,
  ) {
    this.passes = new PeriodicPass(
      () => this.sweep(),
      intervalMs,
      logger,
      'retention sweep failed',
    );
  }

  start(): void {
    this.passes.start();
  }

  stop(): Promise<void> {
    return this.passes.stop();
  }

  async sweep(now = new Date()): Promise<SweepCounts> {
    const counts: SweepCounts = { builds: 0, logs: 0, artifacts: 0 };
    for (const policy of await this.retention.policies()) {
      counts.builds += await this.sweepBuilds(policy, now);
      counts.logs += await this.sweepOutputs(policy, 'logs', policy.logs_days, now);
      counts.artifacts += await this.sweepOutputs(policy, 'artifacts', policy.artifacts_days, now);
    }
    if (counts.builds + counts.logs + counts.artifacts > 0) {
      this.logger.log('info', 'retention sweep deleted', { ...counts });
    }
    return counts;
  }

  private async sweepBuilds(policy: RetentionPoliciesTable, now: Date): Promise<number> {
    const candidates: SweepableBuild[] = [];
    if (policy.builds_days !== null) {
      const cutoff = cutoffOf(now, policy.builds_days);
      candidates.push(...(await this.retention.endedBefore(policy.org, cutoff, batch)));
    }
    if (policy.builds_keep_last !== null) {
      candidates.push(
        ...(await this.retention.beyondNewest(policy.org, policy.builds_keep_last, batch)),
      );
    }
    let deleted = 0;
    for (const build of candidates) {
      if (!(await this.retention.deleteBuild(build.id))) continue;
      for (const prefix of buildPrefixes({ ...build, build: build.number })) {
        await this.store.deletePrefix(prefix);
      }
      deleted += 1;
    }
    return deleted;
  }

  private async sweepOutputs(
    policy: RetentionPoliciesTable,
    kind: TombstoneKind,
    days: number | null,
    now: Date,
  ): Promise<number> {
    if (days === null) return 0;
    const cutoff = cutoffOf(now, days);
    const builds = await this.retention.endedBeforeWithout(policy.org, kind, cutoff, batch);
    let expired = 0;
    for (const build of builds) {
      const tombstone = { build_id: build.id, kind, expired_at: nowIso(), policy_days: days };
      if (!(await this.retention.insertTombstone(tombstone))) continue;
      const ref = { ...build, build: build.number };
      if (kind === 'logs') {
        await this.store.deletePrefix(logPrefix(ref));
        await this.retention.deleteLogRows(build.id);
      } else {
        await this.store.deletePrefix(artifactPrefix(ref));
      }
      expired += 1;
    }
    return expired;
  }
}

function cutoffOf(now: Date, days: number): string {
  return new Date(now.getTime() - days * dayMs).toISOString();
}

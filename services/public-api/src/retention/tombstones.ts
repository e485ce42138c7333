import { GoneError } from '@gibbon/contracts';
import type { RetentionRepository } from './retention.repository';

/** The build an answer is about; only what the message names. */
interface BuildRef {
  readonly id: string;
  readonly number: number;
}

/**
 * The 410 answers for what the retention sweeper deleted of a build that is still there: the
 * message says what, when and under which setting, so nobody asks again.
 */
export class RetentionTombstones {
  constructor(private readonly retention: Pick<RetentionRepository, 'findTombstone'>) {}

  async assertLogKept(build: BuildRef, jobId: string): Promise<void> {
    const tombstone = await this.retention.findTombstone(build.id, 'logs');
    if (!tombstone) return;
    throw new GoneError(
      `The log of job "${jobId}" of build #${build.number} expired on ${tombstone.expired_at.slice(0, 10)} ` +
        `under the org's retention policy of ${tombstone.policy_days} days (logs.days).`,
    );
  }

  async assertArtifactsKept(build: BuildRef, artifactId: string): Promise<void> {
    const tombstone = await this.retention.findTombstone(build.id, 'artifacts');
    if (!tombstone) return;
    throw new GoneError(
      `The artifact "${artifactId}" of build #${build.number} expired on ${tombstone.expired_at.slice(0, 10)} ` +
        `under the org's retention policy of ${tombstone.policy_days} days (artifacts.days).`,
    );
  }
}

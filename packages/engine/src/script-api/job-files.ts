import type { ContainerJob } from '@gibbon/contracts';
import type { JobLog } from '../logs/job-log';

/** How the job's container ended, for what `save` keeps: `failed` is a failure or a timeout. */
export type JobOutcome = 'success' | 'failed';

/**
 * Moves a container job's artifacts and caches between the checkout and storage. `restore`
 * runs before the job's container is created, `save` after it ended: after a success every
 * artifact and cache, after a failure or timeout only the artifacts saved `when: 'always'`.
 * Both throw a domain error (naming the artifact or path) that fails the job; neither leaves
 * the checkout.
 */
export interface JobFiles {
  restore(job: ContainerJob, log: JobLog): Promise<void>;
  save(job: ContainerJob, log: JobLog, outcome: JobOutcome): Promise<void>;
}

export function usesFiles(job: ContainerJob): boolean {
  return Boolean(job.saveArtifacts?.length || job.restoreArtifacts?.length || job.caches?.length);
}

import type { Job } from '../builds';
import type { Store } from '../store';
import { buildStatusEvent, jobStatusEvent } from './build-events';
import type { BuildHub } from './build-hub';

/** At most this many builds and this many logs are re-announced after one lost connection. */
const catchUpLimit = 1_000;

/**
 * Timestamps are written by the clocks of the processes that made the changes: this much is
 * read before the moment the connection was last known to work, for clocks that disagree.
 */
export const clockSkewMs = 5_000;

/**
 * After the events connection was lost and is back: fires here, as if received, what other
 * processes changed since about `lastAliveAt` (their notifications in between are gone).
 * Waiting claims re-check the queue; each build touched since gets a `build.status` with its
 * status now and each job that started or ended a `job.status`; each log with a chunk stored
 * since wakes its follows, which read on from the last chunk they sent. A stream may so see a
 * status twice; it never misses the last one.
 */
export async function catchUp(store: Store, hub: BuildHub, lastAliveAt: Date): Promise<void> {
  const since = new Date(lastAliveAt.getTime() - clockSkewMs).toISOString();
  hub.receive({ kind: 'queued' });
  const builds = await store.builds.withJobs(await store.builds.touchedSince(since, catchUpLimit));
  for (const build of builds) {
    hub.receive({ kind: 'status', event: buildStatusEvent(build) });
    for (const job of build.jobs.filter((job) => changedSince(job, since))) {
      hub.receive({ kind: 'status', event: jobStatusEvent(build, job) });
    }
  }
  for (const log of await store.logChunks.jobsStoredSince(since, catchUpLimit)) {
    hub.receive({ kind: 'log', buildId: log.build_id, jobId: log.job_id });
  }
}

function changedSince(job: Job, since: string): boolean {
  return (
    (job.startedAt !== null && job.startedAt >= since) ||
    (job.finishedAt !== null && job.finishedAt >= since)
  );
}

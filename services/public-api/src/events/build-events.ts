import type { BuildStatusEvent, JobStatusEvent } from '@gibbon/contracts';
import { nowIso } from '../ids';
import type { Build, Job } from '../builds';

/** The `build.status` server-sent event of a build as it is now. */
export function buildStatusEvent(build: Build): BuildStatusEvent {
  return {
    type: 'build.status',
    org: build.org,
    repo: build.repo,
    buildId: build.id,
    number: build.number,
    status: build.status,
    at: nowIso(),
  };
}

export function jobStatusEvent(build: Build, job: Job): JobStatusEvent {
  return {
    type: 'job.status',
    org: build.org,
    repo: build.repo,
    buildId: build.id,
    number: build.number,
    jobId: job.id,
    status: job.status,
    exitCode: job.exitCode,
    at: nowIso(),
  };
}

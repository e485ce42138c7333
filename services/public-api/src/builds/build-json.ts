import type * as Api from '@gibbon/contracts';
import type { BuildWithJobs, Job, JobApproval } from './build';

/** A build with its jobs as the API answers it (no internal ids, no sealed parameters). */
export function buildJson(build: BuildWithJobs): Api.Build {
  return {
    id: build.id,
    number: build.number,
    org: build.org,
    repo: build.repo,
    status: build.status,
    source: build.source,
    trusted: build.trusted,
    git: {
      ref: build.git.ref,
      branch: build.git.branch,
      tag: build.git.tag,
      commit: build.git.commit,
      message: build.git.message,
      author: build.git.author && { ...build.git.author },
      changedFiles: [...build.git.changedFiles],
      pullRequest: build.git.pullRequest && { ...build.git.pullRequest },
    },
    createdAt: build.createdAt,
    startedAt: build.startedAt,
    finishedAt: build.finishedAt,
    message: build.message,
    retryOf: build.retryOf,
    ...(build.reusedJobs && { reusedJobs: [...build.reusedJobs] }),
    ...(build.inputs && { inputs: { ...build.inputs } }),
    jobs: build.jobs.map(jobJson),
  };
}

export function jobJson(job: Job): Api.Job {
  return {
    id: job.id,
    kind: job.kind,
    status: job.status,
    exitCode: job.exitCode,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
    dependsOn: [...job.dependsOn],
    message: job.message,
    ...(job.outputs && { outputs: { ...job.outputs } }),
    ...(job.approval && { approval: approvalJson(job.approval) }),
  };
}

function approvalJson(approval: JobApproval): Api.JobApproval {
  return {
    decision: approval.decision,
    ...(approval.by !== null && { by: approval.by }),
    ...(approval.at !== null && { at: approval.at }),
    ...(approval.comment !== null && { comment: approval.comment }),
  };
}

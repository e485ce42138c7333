import type { BuildInputs, JobStatus, PullRequestInfo } from '@gibbon/contracts';
import type { BuildsTable, JobApprovalsTable, JobsTable } from '../db/builds-schema';
import type { Build, Job, JobApproval, NewBuild } from './build';
import { fromStoredText as fromDb, toStoredText as toDb } from '../db/nul-safe-text';

/** Row ↔ record for builds and jobs; the only place that knows the column names. */
export function toBuild(row: BuildsTable): Build {
  return {
    id: row.id,
    repoId: row.repo_id,
    org: row.org,
    repo: row.repo,
    number: Number(row.number),
    status: row.status,
    source: row.source,
    trusted: Number(row.trusted) === 1,
    git: {
      ref: fromDb(row.ref),
      branch: fromDb(row.branch),
      tag: fromDb(row.tag),
      commit: row.commit_sha,
      message: fromDb(row.message),
      author:
        row.author_name === null
          ? null
          : { name: fromDb(row.author_name), email: fromDb(row.author_email ?? '') },
      changedFiles: JSON.parse(row.changed_files) as string[],
      pullRequest: pullRequestOf(row.pull_request),
    },
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    message: fromDb(row.end_message),
    retryOf: row.retry_of === null ? null : Number(row.retry_of),
    reusedJobs: row.reused_jobs === null ? null : (JSON.parse(row.reused_jobs) as string[]),
    cancelRequested: Number(row.cancel_requested) === 1,
    claims: Number(row.claims),
    paramsSealed: row.params_sealed,
    concurrencyGroup: row.concurrency_group,
    inputs: row.inputs === null ? null : (JSON.parse(row.inputs) as BuildInputs),
  };
}

export function buildRowOf(id: string, number: number, build: NewBuild, at: string): BuildsTable {
  return {
    id,
    repo_id: build.repoId,
    org: build.org,
    repo: build.repo,
    number,
    status: 'queued',
    source: build.source,
    trusted: build.trusted ? 1 : 0,
    ref: toDb(build.git.ref),
    branch: toDb(build.git.branch),
    tag: toDb(build.git.tag),
    commit_sha: build.git.commit,
    message: toDb(build.git.message),
    author_name: toDb(build.git.author?.name ?? null),
    author_email: toDb(build.git.author?.email ?? null),
    changed_files: JSON.stringify(build.git.changedFiles),
    pull_request: build.git.pullRequest && toDb(JSON.stringify(build.git.pullRequest)),
    params_sealed: build.paramsSealed,
    created_at: at,
    started_at: null,
    finished_at: null,
    end_message: null,
    retry_of: build.retryOf,
    reused_jobs: build.reusedJobs === undefined ? null : JSON.stringify(build.reusedJobs),
    cancel_requested: 0,
    claims: 0,
    concurrency_group: build.concurrencyGroup,
    inputs: build.inputs ? JSON.stringify(build.inputs) : null,
  };
}

/**
 * The stored JSON of a build's pull request. Its strings are GitHub's byte for byte, NUL
 * included, so the JSON text goes through the NUL-safe form like every other git fact.
 */
function pullRequestOf(stored: string | null | undefined): PullRequestInfo | null {
  if (stored === null || stored === undefined) return null;
  return JSON.parse(fromDb(stored)) as PullRequestInfo;
}

export function toJob(row: JobsTable): Job {
  return {
    id: row.job_id,
    kind: row.kind,
    status: row.status as JobStatus,
    exitCode: row.exit_code === null ? null : Number(row.exit_code),
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    dependsOn: JSON.parse(row.depends_on) as string[],
    message: fromDb(row.message),
    ...(row.outputs === null || row.outputs === undefined
      ? {}
      : { outputs: JSON.parse(fromDb(row.outputs)) as Record<string, string> }),
  };
}

export function toJobApproval(row: JobApprovalsTable): JobApproval {
  return {
    decision: row.decision,
    by: row.decided_by,
    at: row.decided_at,
    comment: fromDb(row.comment),
  };
}

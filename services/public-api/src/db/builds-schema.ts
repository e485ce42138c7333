/**
 * The build side's tables (webhooks, deliveries, the build queue, jobs, leases, log chunks).
 * Same conventions as `schema.ts`: ISO-8601 text timestamps (they compare in time order as
 * text), JSON text lists, and 0/1 integers for flags so both back ends store the same shapes.
 */

/** A GitHub webhook of a repository; its HMAC secret is sealed with the org data key. */
export interface WebhooksTable {
  id: string;
  org: string;
  repo_id: string;
  secret_sealed: string;
  created_at: string;
}

export type DeliveryOutcomeKind = 'build' | 'ping' | 'ignored';

/** Every verified delivery, by GitHub's `X-GitHub-Delivery`; replays answer from here. */
export interface DeliveriesTable {
  id: string;
  webhook_id: string;
  event: string;
  received_at: string;
  outcome: DeliveryOutcomeKind;
  reason: string | null;
  build_id: string | null;
}

/** The last build number handed out per repository (an upsert makes numbering race-free). */
export interface BuildCountersTable {
  repo_id: string;
  last_number: number;
}

export type StoredBuildStatus =
  'queued' | 'running' | 'success' | 'failure' | 'error' | 'canceled' | 'timed_out';

export type StoredBuildSource = 'api' | 'push' | 'pull_request' | 'retry' | 'schedule';

/** One build; `status = 'queued'` rows are the durable queue, oldest `created_at` first. */
export interface BuildsTable {
  id: string;
  repo_id: string;
  org: string;
  repo: string;
  number: number;
  status: StoredBuildStatus;
  source: StoredBuildSource;
  trusted: number;
  ref: string;
  branch: string | null;
  tag: string | null;
  commit_sha: string | null;
  message: string | null;
  author_name: string | null;
  author_email: string | null;
  /** JSON array of paths. */
  changed_files: string;
  /** Trigger parameters (JSON of `{name, value}[]`) sealed with the org data key, or null. */
  params_sealed: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  end_message: string | null;
  retry_of: number | null;
  /** A re-run of failed jobs only: the JSON list of the jobs of `retry_of` it reuses. */
  reused_jobs: string | null;
  /** JSON of the build's pipeline inputs (a manual trigger's), or null for none. */
  inputs: string | null;
  cancel_requested: number;
  /** How many times a runner claimed it (a lost lease re-queues once, then fails it). */
  claims: number;
  /** `branch:NAME` or `pull_request:N` under a repository's queue or cancel-previous mode. */
  concurrency_group: string | null;
  /** JSON of the build's `PullRequestInfo` (NUL-safe text), or null for a build of no pull request. */
  pull_request: string | null;
}

/** A build's content key (event, GitHub repository, ref, commit): one build per key. */
export interface BuildContentKeysTable {
  repo_id: string;
  content_key: string;
  build_id: string;
}

export interface JobsTable {
  build_id: string;
  job_id: string;
  kind: 'container' | 'action';
  status: string;
  exit_code: number | null;
  started_at: string | null;
  finished_at: string | null;
  /** JSON array of job ids. */
  depends_on: string;
  message: string | null;
  position: number;
  /** JSON object of the job's outputs (names to masked values), NUL-safe; null until it set any. */
  outputs: string | null;
}

export type LeaseState = 'active' | 'ended' | 'lost';

/** A runner's hold on a build; only an `active`, unexpired lease may post for the build. */
export interface LeasesTable {
  id: string;
  build_id: string;
  runner_id: string;
  attempt: number;
  state: LeaseState;
  expires_at: string;
  created_at: string;
}

/** Which numbered chunks of a job's log are stored, and under which BlobStore key. */
export interface LogChunksTable {
  build_id: string;
  job_id: string;
  seq: number;
  storage_key: string;
  size: number;
  /** When public-api stored it; `null` for chunks stored before times were kept. */
  stored_at: string | null;
}

/** A line public-api wrote into a build's `_script` log (e.g. its runner stopped responding). */
export interface BuildNotesTable {
  build_id: string;
  seq: number;
  at: string;
  text: string;
}

/** A person's decision on a job marked for approval; outlives the build's re-queues. */
export interface JobApprovalsTable {
  build_id: string;
  job_id: string;
  /** `pending` from the job's first `job.waiting` until someone decides. */
  decision: 'pending' | 'approved' | 'rejected';
  decided_by: string | null;
  decided_at: string | null;
  comment: string | null;
  requested_at: string;
}

export interface BuildTables {
  webhooks: WebhooksTable;
  deliveries: DeliveriesTable;
  build_counters: BuildCountersTable;
  builds: BuildsTable;
  build_content_keys: BuildContentKeysTable;
  jobs: JobsTable;
  leases: LeasesTable;
  log_chunks: LogChunksTable;
  build_notes: BuildNotesTable;
  job_approvals: JobApprovalsTable;
}

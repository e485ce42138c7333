import type { Generated } from 'kysely';
import type { BuildTables, StoredBuildStatus } from './builds-schema';

/**
 * The tables of public-api as Kysely sees them. Both back ends store the same shapes:
 * timestamps are ISO-8601 text, label lists are JSON text, and ciphertexts are base64 text,
 * so one repository layer works on SQLite and Postgres without dialect branches.
 */

export interface OrgsTable {
  slug: string;
  name: string;
  created_at: string;
}

/** One row per org: the org's data key, wrapped (AES-256-GCM) by the master key. */
export interface DataKeysTable {
  org: string;
  wrapped_key: string;
  created_at: string;
  /** The master key that wrapped it (`mk_...`); null only for rows older than key ids. */
  master_key_id: string | null;
}

export interface ReposTable {
  id: string;
  org: string;
  name: string;
  url: string;
  main_branch: string;
  labels: string;
  github_repo: string | null;
  /** The repository's GitHub token sealed with the org data key; never returned by the API. */
  github_token_sealed: string | null;
  /** 1: the repository's untrusted builds get a network; 0 (the default): none. */
  untrusted_network: number;
  /** The trigger rules as a JSON object (`TriggerRules`); `{}` restricts nothing. */
  triggers: string;
  /** JSON of the concurrency settings; `{}` is parallel. */
  concurrency: string;
  created_at: string;
  updated_at: string;
}

export interface ParamSetsTable {
  id: string;
  org: string;
  description: string;
  /** JSON of `LabelFilterGroups`. */
  label_filters: string;
  created_at: string;
  updated_at: string;
}

/** One encrypted value of a parameter set; the AAD binds it to org, set and name. */
export interface ParamValuesTable {
  set_id: string;
  name: string;
  sealed_value: string;
}

export type ApiTokenKind = 'admin' | 'org';

/** The admin token and org tokens. Only a SHA-256 of each secret is stored. */
export interface ApiTokensTable {
  id: string;
  kind: ApiTokenKind;
  org: string | null;
  role: 'admin' | 'read' | null;
  name: string;
  secret_hash: string;
  created_at: string;
  last_used_at: string | null;
}

/** A session of the web page; the cookie holds the secret, this row only its hash. */
export interface WebSessionsTable {
  secret_hash: string;
  token_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
}

export interface RunnersTable {
  id: string;
  name: string;
  labels: string;
  token_hash: string;
  created_at: string;
  last_seen_at: string | null;
  /** `process.platform` the runner last reported with a claim; null before its first. */
  os: string | null;
  /** `process.arch` the runner last reported with a claim; null before its first. */
  arch: string | null;
  /** 1 once an admin drained the runner (`POST /v1/runners/{id}/drain`): no new claims. */
  draining: number;
}

/** A one-time runner registration token (db/runner-registration-tokens-migration.ts). */
export interface RunnerRegistrationTokensTable {
  id: string;
  token_hash: string;
  /** JSON of the labels the registered runner gets. */
  labels: string;
  description: string;
  created_at: string;
  expires_at: string;
  /** When a runner registered with it; null while unused. */
  used_at: string | null;
  /** The runner it registered. */
  runner_id: string | null;
  revoked_at: string | null;
}

/** Keys that sign and verify JWTs, by key id; the secret is wrapped by the master key. */
export interface SigningKeysTable {
  kid: string;
  purpose: string;
  algorithm: string;
  wrapped_secret: string;
  created_at: string;
  /** From this instant the key verifies no token; null while it is the signing key. */
  retired_at: string | null;
  /** The master key that wrapped the secret; null only for rows older than key ids. */
  master_key_id: string | null;
}

/** One change made through the API; `detail` is JSON of what changed, never a secret value. */
export interface AuditLogTable {
  id: string;
  at: string;
  org: string | null;
  actor_kind: string;
  actor_id: string;
  actor_name: string;
  action: string;
  object_type: string;
  object_id: string;
  detail: string | null;
}

/**
 * One build status still to send to GitHub (statuses/README.md). Postgres returns the
 * bigserial `id` as a string, SQLite as a number.
 */
export interface StatusOutboxTable {
  id: Generated<number | string>;
  build_id: string;
  repo_id: string;
  commit_sha: string;
  build_status: StoredBuildStatus;
  created_at: string;
  attempts: Generated<number>;
  next_attempt_at: string;
  /** The sender (one per process) sending it now, until `lease_expires_at`. */
  lease_owner: string | null;
  lease_expires_at: string | null;
  /** Why the last attempt failed (no token in it). */
  last_error: string | null;
}

/** One row, slot `current`: the master key new keys are wrapped by (a rotation switches it). */
export interface MasterKeyStateTable {
  slot: string;
  key_id: string;
  changed_at: string;
}

/** A repository's cron schedule; `counts_from`: ticks after it count (creation, or the last change of the expression or a resume). */
export interface SchedulesTable {
  id: string;
  repo_id: string;
  cron: string;
  timezone: string;
  branch: string;
  description: string;
  /** JSON array of the parameter names, so they can be shown without the key. */
  param_names: string;
  /** Sealed like a manual build's parameters (`buildParamsContext`), copied into each build. */
  params_sealed: string | null;
  enabled: number;
  counts_from: string;
  /** The newest tick claimed; a process builds a tick only by moving this forward. */
  last_tick_at: string | null;
  created_at: string;
  updated_at: string;
}

/** One claimed tick: the build it queued, or why none. */
export interface ScheduleRunsTable {
  schedule_id: string;
  tick_at: string;
  covers: number;
  fired_at: string;
  build_id: string | null;
  ignored_reason: string | null;
}

/** An org's retention policy (services/public-api/README.md, "Retention"); null keeps forever. */
export interface RetentionPoliciesTable {
  org: string;
  builds_days: number | null;
  builds_keep_last: number | null;
  logs_days: number | null;
  artifacts_days: number | null;
  updated_at: string;
}

/** What the retention sweeper deleted of a build (`logs` or `artifacts`), for the 410 answer. */
export interface RetentionTombstonesTable {
  build_id: string;
  kind: 'logs' | 'artifacts';
  expired_at: string;
  /** The policy's days at the time, named in the answer. */
  policy_days: number;
}

export interface GibbonTables extends BuildTables {
  orgs: OrgsTable;
  data_keys: DataKeysTable;
  repos: ReposTable;
  param_sets: ParamSetsTable;
  param_values: ParamValuesTable;
  api_tokens: ApiTokensTable;
  web_sessions: WebSessionsTable;
  runners: RunnersTable;
  runner_registration_tokens: RunnerRegistrationTokensTable;
  signing_keys: SigningKeysTable;
  master_key_state: MasterKeyStateTable;
  audit_log: AuditLogTable;
  schedules: SchedulesTable;
  schedule_runs: ScheduleRunsTable;
  status_outbox: StatusOutboxTable;
  retention_policies: RetentionPoliciesTable;
  retention_tombstones: RetentionTombstonesTable;
}

/**
 * The records public-api keeps, as services and routes see them (the API's JSON shapes).
 * Secrets never appear here in clear: a repository only says whether it has a GitHub token,
 * and a parameter set lists its names.
 */

export interface Label {
  readonly name: string;
  readonly value: string;
}

/**
 * Which repositories a parameter set applies to: a list of groups, OR between groups and AND
 * within one (every label of the group must be on the repository). No groups matches every
 * repository of the org.
 */
export type LabelFilterGroups = readonly (readonly Label[])[];

/** The kinds of event a repository's `triggers.events` names. */
export type TriggerEventKind = 'push' | 'pull_request' | 'tag' | 'manual' | 'schedule';

/**
 * A repository's trigger rules (services/public-api/README.md, "Trigger rules"): an absent
 * field restricts nothing; a present one is a non-empty list of globs (or of event kinds).
 * `src/github/trigger-rules.ts` judges deliveries by them.
 */
export interface TriggerRules {
  readonly branches?: readonly string[];
  readonly tags?: readonly string[];
  readonly paths?: readonly string[];
  readonly pathsIgnore?: readonly string[];
  readonly events?: readonly TriggerEventKind[];
}

/** How the builds of one branch or pull request share runners (README, "Concurrency"). */
export type ConcurrencyMode = 'parallel' | 'queue' | 'cancel-previous';

/** A repository's concurrency settings; `{}` is `mode: parallel`, today's default. */
export interface ConcurrencyRules {
  readonly mode?: ConcurrencyMode;
  /** Globs of branches whose builds a newer build never cancels (they queue instead). */
  readonly protectedBranches?: readonly string[];
}

export interface Org {
  readonly slug: string;
  readonly name: string;
  readonly createdAt: string;
}

export interface Repo {
  readonly id: string;
  readonly org: string;
  readonly name: string;
  readonly url: string;
  readonly mainBranch: string;
  readonly labels: readonly Label[];
  readonly githubRepo: string | null;
  readonly hasGithubToken: boolean;
  /** Its fork builds get a network too (docs/adr/0004-script-sandbox.md); default false. */
  readonly untrustedNetwork: boolean;
  /** Which pushes, tags and pull requests build, and whether manual builds may be triggered. */
  readonly triggers: TriggerRules;
  /** Whether builds of one branch or pull request run at once, one at a time, or supersede. */
  readonly concurrency: ConcurrencyRules;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface ParamSet {
  readonly id: string;
  readonly org: string;
  readonly description: string;
  readonly labelFilters: LabelFilterGroups;
  readonly names: readonly string[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface ParamValue {
  readonly name: string;
  readonly value: string;
}

export type OrgTokenRole = 'admin' | 'read';

export interface OrgToken {
  readonly id: string;
  readonly org: string;
  readonly name: string;
  readonly role: OrgTokenRole;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
}

export interface Runner {
  readonly id: string;
  readonly name: string;
  readonly labels: readonly Label[];
  readonly createdAt: string;
  readonly lastSeenAt: string | null;
  /** The machine the runner last claimed from; null before its first claim. */
  readonly platform: RunnerPlatform | null;
  /** Drained by an admin: its running builds finish, it is handed no new one. */
  readonly draining: boolean;
}

/** A runner's operating system and CPU, as Node names them (`linux`, `x64`). */
export interface RunnerPlatform {
  readonly os: string;
  readonly arch: string;
}

/** A one-time token a runner registers itself with (`POST /v1/runner/register`). */
export interface RegistrationToken {
  readonly id: string;
  readonly labels: readonly Label[];
  readonly description: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  /** When a runner registered with it (then `runnerId` names that runner); null while unused. */
  readonly usedAt: string | null;
  readonly runnerId: string | null;
  readonly revokedAt: string | null;
}

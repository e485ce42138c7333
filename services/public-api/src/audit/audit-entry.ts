import type { AuditEntry } from '@gibbon/contracts';
import type { AuditRow } from './audit.repository';

/** What a person did; the names the API shows in `AuditEntry.action`. */
export type AuditAction =
  | 'repo.created'
  | 'repo.updated'
  | 'repo.deleted'
  | 'webhook.created'
  | 'params.created'
  | 'params.updated'
  | 'params.deleted'
  | 'token.created'
  | 'token.deleted'
  | 'runner.created'
  | 'runner.deleted'
  | 'runner.drained'
  | 'runner.registration_token.created'
  | 'runner.registration_token.revoked'
  | 'runner.registered'
  | 'schedule.created'
  | 'schedule.updated'
  | 'schedule.deleted'
  | 'build.canceled'
  | 'build.retried'
  | 'job.approved'
  | 'job.rejected'
  | 'retention.updated';

export type AuditObjectType = AuditEntry['object']['type'];

/** One change to record: what, to which object (and its org), and what changed — no values. */
export interface AuditChange {
  readonly action: AuditAction;
  readonly org: string | null;
  readonly object: { readonly type: AuditObjectType; readonly id: string };
  readonly detail?: Readonly<Record<string, unknown>>;
}

/** The fields a change set (`{ fields }` of its detail): names only, never their values. */
export function changedFields(input: object): { fields: string[] } {
  const fields = Object.entries(input).filter(([, value]) => value !== undefined);
  return { fields: fields.map(([name]) => name).sort() };
}

/** The object id of a build (`org/repo#number`) and of one of its jobs (`…/job`). */
export function buildObjectId(org: string, repo: string, number: number): string {
  return `${org}/${repo}#${number}`;
}

export function auditEntryJson(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    org: row.org,
    actor: {
      kind: row.actor_kind as AuditEntry['actor']['kind'],
      id: row.actor_id,
      name: row.actor_name,
    },
    action: row.action,
    object: { type: row.object_type as AuditObjectType, id: row.object_id },
    detail: row.detail === null ? null : (JSON.parse(row.detail) as Record<string, unknown>),
  };
}

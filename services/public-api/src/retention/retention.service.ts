import { InputError, type RetentionPolicy } from '@gibbon/contracts';
import type { AuditService } from '../audit';
import type { Principal } from '../auth';
import type { RetentionPoliciesTable } from '../db/schema';
import { nowIso } from '../ids';
import type { OrgsService } from '../orgs';
import type { RetentionRepository } from './retention.repository';

/** The policy as the API shows it: every field present, null for keep forever. */
export interface StoredPolicy {
  builds: { days: number | null; keepLast: number | null };
  logs: { days: number | null };
  artifacts: { days: number | null };
}

const maxDays = 36_500;
const maxKeepLast = 1_000_000;

function checked(value: number | null | undefined, field: string, max: number): number | null {
  if (value === undefined || value === null) return null;
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new InputError(
      `${field} must be a whole number from 1 to ${max}, or null to keep forever (got ${String(value)}).`,
    );
  }
  return value;
}

export function policyJson(row: RetentionPoliciesTable | undefined): StoredPolicy {
  return {
    builds: { days: row?.builds_days ?? null, keepLast: row?.builds_keep_last ?? null },
    logs: { days: row?.logs_days ?? null },
    artifacts: { days: row?.artifacts_days ?? null },
  };
}

/**
 * Org retention policies (services/public-api/README.md, "Retention"). Without a row an org
 * keeps everything: nothing is deleted unless someone asks for it.
 */
export class RetentionService {
  constructor(
    private readonly retention: RetentionRepository,
    private readonly orgs: Pick<OrgsService, 'get'>,
    private readonly audit: AuditService,
  ) {}

  async get(org: string): Promise<StoredPolicy> {
    await this.orgs.get(org);
    return policyJson(await this.retention.findPolicy(org));
  }

  /** Replaces the whole policy; the validator already refused wrong types and unknown fields. */
  async put(org: string, input: RetentionPolicy, actor?: Principal): Promise<StoredPolicy> {
    await this.orgs.get(org);
    const row: RetentionPoliciesTable = {
      org,
      builds_days: checked(input.builds?.days, 'builds.days', maxDays),
      builds_keep_last: checked(input.builds?.keepLast, 'builds.keepLast', maxKeepLast),
      logs_days: checked(input.logs?.days, 'logs.days', maxDays),
      artifacts_days: checked(input.artifacts?.days, 'artifacts.days', maxDays),
      updated_at: nowIso(),
    };
    await this.retention.savePolicy(row);
    const policy = policyJson(row);
    await this.audit.record(actor, {
      action: 'retention.updated',
      org,
      object: { type: 'org', id: org },
      detail: { policy },
    });
    return policy;
  }
}

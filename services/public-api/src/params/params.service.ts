import { NotFoundError } from '@gibbon/contracts';
import { open, seal } from '../crypto/aead';
import { paramValueContext, type DataKeys } from '../crypto/data-keys';
import type { LabelFilterGroups, ParamSet, ParamValue, Repo } from '../domain';
import { newId, nowIso } from '../ids';
import { labelFiltersMatch } from './label-filters';
import type { ParamSetsRepository, SealedParamValue } from './param-sets.repository';
import { assertLabels, assertParamValues } from '../validation';
import type { OrgsService } from '../orgs';
import { changedFields, type AuditService } from '../audit';
import type { Principal } from '../auth';

export interface ParamSetInput {
  readonly description?: string;
  readonly labelFilters?: LabelFilterGroups;
  /** Absent on update: keep the stored values. */
  readonly values?: readonly ParamValue[];
}

/**
 * Parameter sets: values are sealed with the org's data key before they reach the
 * repository, and only `resolveParams` ever opens them. Reads return names, never values.
 */
export class ParamsService {
  constructor(
    private readonly sets: ParamSetsRepository,
    private readonly orgs: OrgsService,
    private readonly dataKeys: DataKeys,
    private readonly audit: AuditService,
  ) {}

  /** `actor`: who asks (recorded in the audit log, never with values). */
  async create(org: string, input: ParamSetInput, actor?: Principal): Promise<ParamSet> {
    const values = input.values ?? [];
    this.check(input, values);
    await this.orgs.get(org);
    const id = newId('ps');
    const now = nowIso();
    const record = {
      id,
      org,
      description: input.description ?? '',
      labelFilters: input.labelFilters ?? [],
      createdAt: now,
      updatedAt: now,
    };
    await this.sets.insert(record, await this.sealAll(org, id, values));
    await this.audit.record(actor, { action: 'params.created', ...auditObject(org, id) });
    return { ...record, names: values.map((v) => v.name).sort() };
  }

  async list(org: string): Promise<ParamSet[]> {
    await this.orgs.get(org);
    return (await this.sets.listWithValues(org)).map((entry) => entry.set);
  }

  async get(org: string, id: string): Promise<ParamSet> {
    const [entry] = await this.sets.listWithValues(org, id);
    if (!entry) throw new NotFoundError(`No parameter set "${id}" in the organisation "${org}".`);
    return entry.set;
  }

  async replace(
    org: string,
    id: string,
    input: ParamSetInput,
    actor?: Principal,
  ): Promise<ParamSet> {
    this.check(input, input.values ?? []);
    const sealed =
      input.values === undefined ? undefined : await this.sealAll(org, id, input.values);
    const changes = {
      description: input.description ?? '',
      labelFilters: input.labelFilters ?? [],
      updatedAt: nowIso(),
    };
    if (!(await this.sets.replace(org, id, changes, sealed))) {
      throw new NotFoundError(`No parameter set "${id}" in the organisation "${org}".`);
    }
    await this.audit.record(actor, {
      action: 'params.updated',
      ...auditObject(org, id),
      detail: changedFields(input),
    });
    return this.get(org, id);
  }

  async delete(org: string, id: string, actor?: Principal): Promise<void> {
    if (!(await this.sets.delete(org, id))) {
      throw new NotFoundError(`No parameter set "${id}" in the organisation "${org}".`);
    }
    await this.audit.record(actor, { action: 'params.deleted', ...auditObject(org, id) });
  }

  /**
   * The decrypted values a build of `repo` may see: every set of its org whose label filters
   * match the repository's labels. When two sets define a name, the newer set wins.
   * Callers must not pass an untrusted build's repository here (fork pull requests get none).
   */
  async resolveParams(repo: Repo): Promise<Record<string, string>> {
    const key = await this.dataKeys.keyOf(repo.org);
    const resolved: Record<string, string> = {};
    for (const { set, values } of await this.sets.listWithValues(repo.org)) {
      if (!labelFiltersMatch(set.labelFilters, repo.labels)) continue;
      for (const value of values) {
        resolved[value.name] = open(
          key,
          value.sealedValue,
          paramValueContext(repo.org, set.id, value.name),
        ).toString('utf8');
      }
    }
    return resolved;
  }

  private check(input: ParamSetInput, values: readonly ParamValue[]): void {
    assertParamValues(values);
    for (const group of input.labelFilters ?? []) assertLabels(group, 'Label filters');
  }

  private async sealAll(
    org: string,
    setId: string,
    values: readonly ParamValue[],
  ): Promise<SealedParamValue[]> {
    const key = await this.dataKeys.keyOf(org);
    return values.map((v) => ({
      name: v.name,
      sealedValue: seal(key, v.value, paramValueContext(org, setId, v.name)),
    }));
  }
}

function auditObject(org: string, id: string) {
  return { org, object: { type: 'param_set' as const, id } };
}

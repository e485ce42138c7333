import {
  NotFoundError,
  type ParamValue,
  type Schedule,
  type ScheduleCreate,
  type ScheduleRun,
  type ScheduleUpdate,
} from '@gibbon/contracts';
import { seal } from '../crypto/aead';
import type { DataKeys } from '../crypto/data-keys';
import type { Repo } from '../domain';
import { newId, nowIso } from '../ids';
import type { ReposService } from '../repos';
import type { Store } from '../store';
import { assertParamValues } from '../validation';
import { changedFields, type AuditService } from '../audit';
import type { Principal } from '../auth';
import { buildParamsContext } from '../builds';
import { assertCronSpec, nextTickAfter } from './cron';
import { ticksCountAfter, type ScheduleRecord, type ScheduleRunView } from './schedule';

/** Runs a schedule shows at most (`GET …/schedules/{id}/runs`). */
export const SHOWN_RUNS = 100;

/**
 * A repository's schedules as users see them: create, list, get, change, delete, their runs.
 * Firing ticks is the `Scheduler`'s; `onChange` tells it a schedule changed in this process.
 */
export class SchedulesService {
  constructor(
    private readonly store: Store,
    private readonly repos: ReposService,
    private readonly dataKeys: DataKeys,
    private readonly audit: AuditService,
    private readonly onChange: () => void,
  ) {}

  async create(
    org: string,
    repoName: string,
    body: ScheduleCreate,
    actor?: Principal,
  ): Promise<Schedule> {
    const repo = await this.repos.get(org, repoName);
    const timing = { cron: body.cron, timezone: body.timezone ?? 'UTC' };
    assertCronSpec(timing);
    const at = nowIso();
    const schedule: ScheduleRecord = {
      id: newId('sch'),
      repoId: repo.id,
      ...timing,
      branch: body.branch ?? repo.mainBranch,
      description: body.description ?? '',
      ...(await this.sealedParams(repo, body.params ?? [])),
      enabled: body.enabled ?? true,
      countsFrom: at,
      lastTickAt: null,
      createdAt: at,
      updatedAt: at,
    };
    await this.store.schedules.insert(schedule);
    await this.audit.record(actor, { action: 'schedule.created', ...auditObject(repo, schedule) });
    this.onChange();
    return this.view(repo, schedule);
  }

  async list(org: string, repoName: string): Promise<Schedule[]> {
    const repo = await this.repos.get(org, repoName);
    const schedules = await this.store.schedules.listOfRepo(repo.id);
    return Promise.all(schedules.map((schedule) => this.view(repo, schedule)));
  }

  async get(org: string, repoName: string, id: string): Promise<Schedule> {
    const repo = await this.repos.get(org, repoName);
    return this.view(repo, await this.find(repo, id));
  }

  async runs(org: string, repoName: string, id: string): Promise<ScheduleRunView[]> {
    const repo = await this.repos.get(org, repoName);
    const schedule = await this.find(repo, id);
    return this.store.schedules.runs(schedule.id, SHOWN_RUNS);
  }

  /**
   * A new expression or time zone, or a resume, counts ticks from now: what was missed under
   * the old timing, or while paused, is not built.
   */
  async update(
    org: string,
    repoName: string,
    id: string,
    patch: ScheduleUpdate,
    actor?: Principal,
  ): Promise<Schedule> {
    const repo = await this.repos.get(org, repoName);
    const current = await this.find(repo, id);
    const timing = {
      cron: patch.cron ?? current.cron,
      timezone: patch.timezone ?? current.timezone,
    };
    assertCronSpec(timing);
    const retimed = timing.cron !== current.cron || timing.timezone !== current.timezone;
    const resumed = patch.enabled === true && !current.enabled;
    const at = nowIso();
    await this.store.schedules.update(repo.id, id, {
      ...timing,
      branch: patch.branch,
      description: patch.description,
      enabled: patch.enabled,
      ...(patch.params === undefined ? {} : await this.sealedParams(repo, patch.params)),
      ...(retimed || resumed ? { countsFrom: at } : {}),
      updatedAt: at,
    });
    await this.audit.record(actor, {
      action: 'schedule.updated',
      ...auditObject(repo, current),
      detail: changedFields(patch),
    });
    this.onChange();
    return this.view(repo, await this.find(repo, id));
  }

  async delete(org: string, repoName: string, id: string, actor?: Principal): Promise<void> {
    const repo = await this.repos.get(org, repoName);
    const schedule = await this.find(repo, id);
    await this.store.schedules.delete(repo.id, id);
    await this.audit.record(actor, { action: 'schedule.deleted', ...auditObject(repo, schedule) });
    this.onChange();
  }

  private async find(repo: Repo, id: string): Promise<ScheduleRecord> {
    const schedule = await this.store.schedules.find(repo.id, id);
    if (!schedule) {
      throw new NotFoundError(`No schedule "${id}" in ${repo.org}/${repo.name}.`);
    }
    return schedule;
  }

  private async sealedParams(
    repo: Repo,
    params: readonly ParamValue[],
  ): Promise<Pick<ScheduleRecord, 'paramNames' | 'paramsSealed'>> {
    assertParamValues(params);
    if (params.length === 0) return { paramNames: [], paramsSealed: null };
    const key = await this.dataKeys.keyOf(repo.org);
    return {
      paramNames: params.map((param) => param.name),
      paramsSealed: seal(key, JSON.stringify(params), buildParamsContext(repo.org, repo.id)),
    };
  }

  private async view(repo: Repo, schedule: ScheduleRecord): Promise<Schedule> {
    const [lastRun] = await this.store.schedules.runs(schedule.id, 1);
    const from = new Date(Math.max(Date.now(), ticksCountAfter(schedule).getTime()));
    const next = schedule.enabled ? nextTickAfter(schedule, from) : null;
    return {
      id: schedule.id,
      org: repo.org,
      repo: repo.name,
      cron: schedule.cron,
      timezone: schedule.timezone,
      branch: schedule.branch,
      description: schedule.description,
      paramNames: [...schedule.paramNames],
      enabled: schedule.enabled,
      nextRunAt: next?.toISOString() ?? null,
      lastRun: lastRun === undefined ? null : runView(lastRun),
      createdAt: schedule.createdAt,
      updatedAt: schedule.updatedAt,
    };
  }
}

export function runView(run: ScheduleRunView): ScheduleRun {
  return {
    tickAt: run.tickAt,
    covers: run.covers,
    firedAt: run.firedAt,
    buildNumber: run.buildNumber,
    ignoredReason: run.ignoredReason,
  };
}

function auditObject(repo: Repo, schedule: ScheduleRecord) {
  return { org: repo.org, object: { type: 'schedule' as const, id: schedule.id } };
}

import type { Db } from '../db/database';
import type { ScheduleRunsTable, SchedulesTable } from '../db/schema';
import type {
  ScheduleChanges,
  ScheduleRecord,
  ScheduleRunRecord,
  ScheduleRunView,
} from './schedule';

function toSchedule(row: SchedulesTable): ScheduleRecord {
  return {
    id: row.id,
    repoId: row.repo_id,
    cron: row.cron,
    timezone: row.timezone,
    branch: row.branch,
    description: row.description,
    paramNames: JSON.parse(row.param_names) as string[],
    paramsSealed: row.params_sealed,
    enabled: row.enabled === 1,
    countsFrom: row.counts_from,
    lastTickAt: row.last_tick_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toRunView(row: ScheduleRunsTable & { number: number | null }): ScheduleRunView {
  return {
    scheduleId: row.schedule_id,
    tickAt: row.tick_at,
    covers: Number(row.covers),
    firedAt: row.fired_at,
    buildNumber: row.number === null ? null : Number(row.number),
    ignoredReason: row.ignored_reason,
  };
}

function rowChanges(changes: ScheduleChanges): Partial<SchedulesTable> {
  const { paramNames, enabled, countsFrom, paramsSealed, updatedAt, ...same } = changes;
  return {
    ...same,
    updated_at: updatedAt,
    ...(paramNames === undefined ? {} : { param_names: JSON.stringify(paramNames) }),
    ...(paramsSealed === undefined ? {} : { params_sealed: paramsSealed }),
    ...(enabled === undefined ? {} : { enabled: enabled ? 1 : 0 }),
    ...(countsFrom === undefined ? {} : { counts_from: countsFrom }),
  };
}

/** Schedules and their runs. Instants are ISO strings of one form, so they compare as text. */
export class SchedulesRepository {
  constructor(private readonly db: Db) {}

  async insert(schedule: ScheduleRecord): Promise<void> {
    await this.db
      .insertInto('schedules')
      .values({
        id: schedule.id,
        repo_id: schedule.repoId,
        cron: schedule.cron,
        timezone: schedule.timezone,
        branch: schedule.branch,
        description: schedule.description,
        param_names: JSON.stringify(schedule.paramNames),
        params_sealed: schedule.paramsSealed,
        enabled: schedule.enabled ? 1 : 0,
        counts_from: schedule.countsFrom,
        last_tick_at: schedule.lastTickAt,
        created_at: schedule.createdAt,
        updated_at: schedule.updatedAt,
      })
      .execute();
  }

  /** Oldest first. */
  async listOfRepo(repoId: string): Promise<ScheduleRecord[]> {
    const rows = await this.db
      .selectFrom('schedules')
      .selectAll()
      .where('repo_id', '=', repoId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toSchedule);
  }

  async listEnabled(): Promise<ScheduleRecord[]> {
    const rows = await this.db
      .selectFrom('schedules')
      .selectAll()
      .where('enabled', '=', 1)
      .execute();
    return rows.map(toSchedule);
  }

  async find(repoId: string, id: string): Promise<ScheduleRecord | undefined> {
    const row = await this.db
      .selectFrom('schedules')
      .selectAll()
      .where('repo_id', '=', repoId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toSchedule(row);
  }

  /** `false` when the schedule is not in the repository. */
  async update(repoId: string, id: string, changes: ScheduleChanges): Promise<boolean> {
    const result = await this.db
      .updateTable('schedules')
      .set(rowChanges(changes))
      .where('repo_id', '=', repoId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async delete(repoId: string, id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('schedules')
      .where('repo_id', '=', repoId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /**
   * The claim of one tick: moves `last_tick_at` to `tickAt` only if the schedule is still
   * enabled, still has the timing the caller computed the tick from, and no process claimed
   * this tick or a later one. On Postgres a concurrent claim waits for the row and then finds
   * the condition false; SQLite has one writer. `true` means this caller owns the tick.
   */
  async claimTick(schedule: ScheduleRecord, tickAt: string): Promise<boolean> {
    const claimed = await this.db
      .updateTable('schedules')
      .set({ last_tick_at: tickAt })
      .where('id', '=', schedule.id)
      .where('enabled', '=', 1)
      .where('cron', '=', schedule.cron)
      .where('timezone', '=', schedule.timezone)
      .where('counts_from', '<', tickAt)
      .where((eb) => eb.or([eb('last_tick_at', 'is', null), eb('last_tick_at', '<', tickAt)]))
      .returning('id')
      .executeTakeFirst();
    return claimed !== undefined;
  }

  async insertRun(run: ScheduleRunRecord): Promise<void> {
    await this.db
      .insertInto('schedule_runs')
      .values({
        schedule_id: run.scheduleId,
        tick_at: run.tickAt,
        covers: run.covers,
        fired_at: run.firedAt,
        build_id: run.buildId,
        ignored_reason: run.ignoredReason,
      })
      .execute();
  }

  /** Newest first, each with the number of the build it queued. */
  async runs(scheduleId: string, limit: number): Promise<ScheduleRunView[]> {
    const rows = await this.db
      .selectFrom('schedule_runs')
      .leftJoin('builds', 'builds.id', 'schedule_runs.build_id')
      .selectAll('schedule_runs')
      .select('builds.number')
      .where('schedule_runs.schedule_id', '=', scheduleId)
      .orderBy('schedule_runs.tick_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toRunView);
  }
}

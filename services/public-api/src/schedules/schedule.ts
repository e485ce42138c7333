/** A repository's cron schedule as stored (services/public-api/README.md, "Schedules"). */
export interface ScheduleRecord {
  readonly id: string;
  readonly repoId: string;
  readonly cron: string;
  readonly timezone: string;
  readonly branch: string;
  readonly description: string;
  readonly paramNames: readonly string[];
  /** Sealed for the repository's builds (`buildParamsContext`), so a tick copies it as it is. */
  readonly paramsSealed: string | null;
  readonly enabled: boolean;
  /** Ticks after this instant count: creation, or the last change of timing or a resume. */
  readonly countsFrom: string;
  /** The newest tick a process claimed; `null` before the first. */
  readonly lastTickAt: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** What one claimed tick did: the build it queued, or why it queued none. */
export interface ScheduleRunRecord {
  readonly scheduleId: string;
  readonly tickAt: string;
  readonly covers: number;
  readonly firedAt: string;
  readonly buildId: string | null;
  readonly ignoredReason: string | null;
}

/** A run as shown: the build by its number in the repository. */
export interface ScheduleRunView extends Omit<ScheduleRunRecord, 'buildId'> {
  readonly buildNumber: number | null;
}

/** A change of a schedule; only the fields present change. */
export type ScheduleChanges = Partial<
  Pick<
    ScheduleRecord,
    | 'cron'
    | 'timezone'
    | 'branch'
    | 'description'
    | 'paramNames'
    | 'paramsSealed'
    | 'enabled'
    | 'countsFrom'
  >
> &
  Pick<ScheduleRecord, 'updatedAt'>;

/** The instant ticks count from: the later of the last claimed tick and `countsFrom`. */
export function ticksCountAfter(schedule: ScheduleRecord): Date {
  const { lastTickAt, countsFrom } = schedule;
  return new Date(lastTickAt !== null && lastTickAt > countsFrom ? lastTickAt : countsFrom);
}

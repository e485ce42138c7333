import { InputError } from '@gibbon/contracts';
import { Cron } from 'croner';

/** A schedule's timing: a cron expression read in an IANA time zone. */
export interface CronSpec {
  readonly cron: string;
  readonly timezone: string;
}

/** The tick a scheduler pass builds, and how many ticks since the last claimed one it stands for. */
export interface DueTick {
  readonly tickAt: Date;
  readonly covers: number;
}

/**
 * Ticks counted one by one when finding the latest due tick; past it, the latest tick is found
 * from the other end and `covers` says at least this many (a per-second schedule down a day).
 */
export const MAX_COUNTED_TICKS = 10_000;

function cronOf(spec: CronSpec): Cron {
  return new Cron(spec.cron, { paused: true, mode: '5-or-6-parts', timezone: spec.timezone });
}

/**
 * Checks `spec` the way the scheduler will read it, so a bad expression or time zone is refused
 * when the schedule is made, not at its first tick. Throws `InputError` naming what is wrong.
 */
export function assertCronSpec(spec: CronSpec): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone: spec.timezone });
  } catch (error) {
    throw new InputError(
      `timezone "${spec.timezone}" is not an IANA time zone; use a name such as "UTC" or "Europe/Berlin".`,
      { cause: error },
    );
  }
  try {
    cronOf(spec);
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^CronPattern: /, '') : '';
    throw new InputError(
      `cron "${spec.cron}" is not a cron expression (${reason}); give five fields (minute hour day-of-month month day-of-week), e.g. "0 3 * * 1-5".`,
      { cause: error },
    );
  }
}

/** The first tick strictly after `after`, or `null` when the expression has none (`0 0 31 2 *`). */
export function nextTickAfter(spec: CronSpec, after: Date): Date | null {
  return cronOf(spec).nextRun(after);
}

/**
 * The latest tick in (`after`, `now`] and the number of ticks in that span, or `undefined` when
 * none is due. Missed ticks are not built one by one: a scheduler builds this one tick for all of
 * them (the rule in services/public-api/README.md, "Schedules").
 */
export function dueTick(spec: CronSpec, after: Date, now: Date): DueTick | undefined {
  const cron = cronOf(spec);
  let latest: Date | undefined;
  let covers = 0;
  for (let tick = cron.nextRun(after); tick !== null && tick <= now; tick = cron.nextRun(tick)) {
    latest = tick;
    covers += 1;
    if (covers === MAX_COUNTED_TICKS) return { tickAt: latestUpTo(cron, now), covers };
  }
  return latest && { tickAt: latest, covers };
}

/**
 * The latest tick at or before `now`. Only called once `MAX_COUNTED_TICKS` ticks were found at
 * or before `now`, so there is one. (croner's `previousRuns` leaves a tick at its reference out.)
 */
function latestUpTo(cron: Cron, now: Date): Date {
  const candidates = cron.previousRuns(2, new Date(now.getTime() + 1000));
  return candidates.find((tick) => tick <= now) ?? now;
}

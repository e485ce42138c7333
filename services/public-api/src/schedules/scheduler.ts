import { gitFactsOfTrigger, newBuildOf, queueBuild, type BuildsService } from '../builds';
import { scheduleTriggerVerdict } from '../github';
import { nowIso } from '../ids';
import type { Logger } from '../logger';
import type { Store } from '../store';
import { dueTick, nextTickAfter, type DueTick } from './cron';
import { ticksCountAfter, type ScheduleRecord } from './schedule';

export interface SchedulerOptions {
  /**
   * The longest a scheduler sleeps between passes: how long a schedule made or changed
   * through another public-api process may wait before this one sees it. Default 30 s.
   */
  readonly maxSleepMs?: number;
  /** How long to wait after a pass failed (the database was unreachable). Default 5 s. */
  readonly retryMs?: number;
}

/**
 * Fires the ticks of every enabled schedule: each pass builds the latest due tick of each
 * schedule (one build for all ticks missed since the last claimed one), then sleeps until the
 * next tick of any schedule. A tick is built by whichever public-api process claims it first
 * (`SchedulesRepository.claimTick`), in the same transaction that queues the build and records
 * the run, so a tick builds once however many processes run a scheduler.
 *
 * Lifecycle: `start()` once; `poke()` after a schedule of this process changed (a pass runs
 * at once); `stop()` at shutdown waits for a pass in flight (safe to call twice or without
 * `start`).
 */
export class Scheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private pokedWhileRunning = false;
  private state: 'idle' | 'started' | 'stopped' = 'idle';
  private readonly maxSleepMs: number;
  private readonly retryMs: number;

  constructor(
    private readonly store: Store,
    private readonly builds: BuildsService,
    private readonly logger: Logger,
    options: SchedulerOptions = {},
  ) {
    this.maxSleepMs = options.maxSleepMs ?? 30_000;
    this.retryMs = options.retryMs ?? 5_000;
  }

  start(): void {
    if (this.state !== 'idle') return;
    this.state = 'started';
    this.wakeIn(0);
  }

  poke(): void {
    if (this.state !== 'started') return;
    if (this.running) this.pokedWhileRunning = true;
    else this.wakeIn(0);
  }

  async stop(): Promise<void> {
    this.state = 'stopped';
    clearTimeout(this.timer);
    await this.running;
  }

  /** One pass over every enabled schedule; returns the milliseconds until the next tick. */
  async pass(now = new Date()): Promise<number> {
    let sleepMs = this.maxSleepMs;
    for (const schedule of await this.store.schedules.listEnabled()) {
      try {
        const after = ticksCountAfter(schedule);
        const due = dueTick(schedule, after, now);
        if (due) await this.fire(schedule, due);
        const next = nextTickAfter(schedule, due?.tickAt ?? (after > now ? after : now));
        if (next) sleepMs = Math.min(sleepMs, next.getTime() - Date.now());
      } catch (error) {
        this.logger.log('warn', 'Schedule tick not built; the next pass tries again.', {
          scheduleId: schedule.id,
          error,
        });
      }
    }
    return Math.max(0, sleepMs);
  }

  private wakeIn(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.runPass(), ms);
  }

  private runPass(): void {
    this.pokedWhileRunning = false;
    this.running = this.pass()
      .catch((error: unknown) => {
        this.logger.log('error', 'Schedule pass failed; trying again.', { error });
        return this.retryMs;
      })
      .then((sleepMs) => {
        this.running = undefined;
        if (this.state === 'started') this.wakeIn(this.pokedWhileRunning ? 0 : sleepMs);
      });
  }

  /** Claims the tick; if this process won it, queues the build (or records why not). */
  private async fire(schedule: ScheduleRecord, due: DueTick): Promise<void> {
    const tickAt = due.tickAt.toISOString();
    const fired = await this.store.transaction(async (tx) => {
      if (!(await tx.schedules.claimTick(schedule, tickAt))) return undefined;
      const repo = await tx.repos.findById(schedule.repoId);
      if (!repo) return undefined;
      const verdict = scheduleTriggerVerdict(repo.triggers);
      const queued = verdict.build
        ? await queueBuild(
            tx,
            repo,
            newBuildOf(repo, {
              source: 'schedule',
              trusted: true,
              git: gitFactsOfTrigger({ branch: schedule.branch }),
              paramsSealed: schedule.paramsSealed,
            }),
            nowIso(),
          )
        : undefined;
      const build = queued?.build;
      await tx.schedules.insertRun({
        scheduleId: schedule.id,
        tickAt,
        covers: due.covers,
        firedAt: nowIso(),
        buildId: build?.id ?? null,
        ignoredReason: verdict.build ? null : verdict.reason,
      });
      return { queued, repo };
    });
    if (fired === undefined) return;
    if (fired.queued) this.builds.announceQueued(fired.queued);
    this.logger.log('info', 'Schedule tick fired.', {
      scheduleId: schedule.id,
      repo: `${fired.repo.org}/${fired.repo.name}`,
      tickAt,
      covers: due.covers,
      buildNumber: fired.queued?.build.number ?? null,
    });
  }
}

/** What the waterfall needs of a job: the API's `Job` fits. */
export interface TimedJob {
  readonly id: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
}

/** One job's bar, as fractions (0–1) of the time axis. */
export interface WaterfallBar {
  readonly id: string;
  /** Where the bar begins: how far into the axis the job started. */
  readonly offsetFraction: number;
  readonly widthFraction: number;
  /** Still running: its bar ends at `now`. */
  readonly running: boolean;
}

interface Span {
  readonly id: string;
  readonly start: number;
  readonly end: number;
  readonly running: boolean;
}

function spanOf(job: TimedJob, now: number): Span | undefined {
  if (job.startedAt === null) return undefined;
  const start = Date.parse(job.startedAt);
  if (Number.isNaN(start)) return undefined;
  const finished = job.finishedAt === null ? Number.NaN : Date.parse(job.finishedAt);
  const running = Number.isNaN(finished);
  // A clock a little behind the server's must not give a bar that ends before it begins.
  return { id: job.id, start, end: Math.max(start, running ? now : finished), running };
}

function clampFraction(value: number): number {
  return Math.min(1, Math.max(0, value));
}

/**
 * The bars of a waterfall: one time axis from the earliest start to the latest end (`now` for
 * a job still running). Jobs that never started (no `startedAt`, or one that is not a date)
 * have no bar and are left out; the caller shows them as "not started". A job with
 * `startedAt` but no (valid) `finishedAt` counts as running. In the jobs' order.
 */
export function waterfallBars(jobs: readonly TimedJob[], now: number): WaterfallBar[] {
  const spans = jobs.map((job) => spanOf(job, now)).filter((span) => span !== undefined);
  if (spans.length === 0) return [];
  const axisStart = Math.min(...spans.map((span) => span.start));
  const axisEnd = Math.max(...spans.map((span) => span.end));
  // All bars of zero length (jobs that took no measurable time) sit at the start, zero wide.
  const axis = Math.max(axisEnd - axisStart, 1);
  return spans.map(({ id, start, end, running }) => ({
    id,
    offsetFraction: clampFraction((start - axisStart) / axis),
    widthFraction: clampFraction((end - start) / axis),
    running,
  }));
}

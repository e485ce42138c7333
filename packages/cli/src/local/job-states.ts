import type { JobStatus, ScriptEvent } from '@gibbon/contracts';

/** One job as the progress display knows it. */
export interface JobState {
  jobId: string;
  status: JobStatus;
  /** When the current attempt started (ms since epoch). */
  startedAt?: number;
  endedAt?: number;
  message?: string;
}

/** Job states folded from the script's events, in the order the script declared the jobs. */
export class JobStates {
  private readonly jobs = new Map<string, JobState>();

  /** Applies one event; returns the job it changed, if any. */
  apply(event: ScriptEvent): JobState | undefined {
    if (event.type === 'script.ended') return undefined;
    const at = Date.parse(event.at);
    const job = this.jobs.get(event.jobId) ?? { jobId: event.jobId, status: 'pending' };
    this.jobs.set(event.jobId, job);
    if (event.type === 'job.queued') job.status = 'queued';
    if (event.type === 'job.waiting') job.status = 'waiting';
    if (event.type === 'job.started') {
      job.status = 'running';
      job.startedAt = at;
    }
    if (event.type === 'job.ended') {
      job.status = event.status;
      job.endedAt = at;
      if (event.message) job.message = event.message;
    }
    return job;
  }

  all(): JobState[] {
    return [...this.jobs.values()];
  }
}

/** `1.2s`, `2m03s`: how long the job ran, or has been running. */
export function durationOf(job: JobState, now = Date.now()): string {
  if (job.startedAt === undefined) return '';
  const ms = (job.endedAt ?? now) - job.startedAt;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const seconds = Math.floor(ms / 1000);
  return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

const symbols: Record<JobStatus, string> = {
  pending: '·',
  waiting: '?',
  queued: '·',
  running: '▸',
  success: '✓',
  failure: '✗',
  error: '!',
  skipped: '-',
  canceled: '⊘',
  timed_out: '⏱',
};

/** Longer reasons are in the job's log, printed just above; the progress line stays one line. */
const MAX_REASON_IN_LINE = 80;

/** `✓ test       success  1.2s  (message)`: the job's progress line. */
export function progressLine(job: JobState, idWidth: number, now = Date.now()): string {
  const parts = [
    `${symbols[job.status]} ${job.jobId.padEnd(idWidth)}`,
    job.status.padEnd(9),
    durationOf(job, now),
  ];
  const line = parts.join('  ').trimEnd();
  const reason = job.message && job.message.length <= MAX_REASON_IN_LINE ? job.message : undefined;
  return reason && job.status !== 'success' ? `${line}  (${reason})` : line;
}

/**
 * The logs of a pipeline test run, one list of lines per job, masked the way the runner masks
 * a build's logs: every parameter value the test provides and every value an action passes to
 * `job.mask()` shows as `***` (values under 4 characters are left alone, as on the server).
 * Lines are kept at once, never batched, so a test reads them as soon as the run has ended.
 */
import type { LogSink } from '../job-api/job-log';
import { MIN_MASK_LENGTH } from '../job-api/script-job-api';

export const MASK = '***';

export class CapturedLogs {
  private readonly lines = new Map<string, string[]>();
  private readonly secrets = new Set<string>();

  constructor(secrets: Iterable<string> = []) {
    for (const secret of secrets) this.addSecret(secret);
  }

  addSecret(value: string): void {
    if (typeof value === 'string' && value.length >= MIN_MASK_LENGTH) this.secrets.add(value);
  }

  write(jobId: string, line: string): void {
    const masked = [...this.secrets]
      // Longest first, so a secret that contains another is masked whole.
      .sort((a, b) => b.length - a.length)
      .reduce((text, secret) => text.split(secret).join(MASK), line);
    const lines = this.lines.get(jobId) ?? [];
    lines.push(...masked.split(/\r?\n/));
    this.lines.set(jobId, lines);
  }

  /** The sink an action job's `log`, `sh` output and `console.*` write to. */
  sinkOf(jobId: string): LogSink {
    return {
      write: (line) => this.write(jobId, line),
      flush: () => Promise.resolve(),
      waitForRoom: () => undefined,
    };
  }

  linesOf(jobId: string): string[] {
    return [...(this.lines.get(jobId) ?? [])];
  }
}

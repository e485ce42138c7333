/** Where a line came from: the process's own streams, or the engine speaking about the job. */
export type LogStream = 'stdout' | 'stderr' | 'system';

/** One masked output line of a job (or of the build script, under the job id `script`). */
export interface LogEntry {
  jobId: string;
  /** 1, 2, 3, … per job, in the order the lines were produced; never reused. */
  seq: number;
  stream: LogStream;
  text: string;
  at: Date;
}

/**
 * Receives a build's log lines as they are produced (never buffered by the engine). Called
 * synchronously and in order for one job; lines of different jobs interleave. A sink that
 * stores remotely batches on its own side. Every entry has already passed the build's masker.
 */
export interface LogSink {
  write(entry: LogEntry): void;
}

/** A sink that keeps lines in memory: `gibbon run` summaries and tests. */
export class MemoryLogSink implements LogSink {
  readonly entries: LogEntry[] = [];

  write(entry: LogEntry): void {
    this.entries.push(entry);
  }

  /** The text of one job's lines, in sequence order. */
  linesOf(jobId: string): string[] {
    return this.entries
      .filter((entry) => entry.jobId === jobId)
      .sort((a, b) => a.seq - b.seq)
      .map((entry) => entry.text);
  }
}

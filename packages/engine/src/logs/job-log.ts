import { LineMasker } from '../masking/line-masker';
import type { Masker } from '../masking/masker';
import type { LogSink, LogStream } from './log-sink';

/**
 * The log of one job: numbers its lines and sends every one through the build's masker to the
 * sink. Lifecycle: `output()` streams and `system()` lines any number of times, then `close()`
 * once, which flushes text the maskers still hold back. Lines written after `close()` are
 * dropped (a late stream end after a cancel).
 */
export class JobLog {
  private seq = 0;
  private closed = false;
  private readonly outputs = new Map<LogStream, LineMasker>();

  constructor(
    readonly jobId: string,
    private readonly masker: Masker,
    private readonly sink: LogSink,
  ) {}

  /** A line from the engine itself (`+ npm ci`, pull progress, the reason a job failed). */
  system(text: string): void {
    this.lines('system', [text]);
  }

  /** Whole lines from a writer that already splits them (an action job's `log()`). */
  lines(stream: LogStream, texts: readonly string[]): void {
    for (const text of texts) {
      for (const line of this.masker.mask(text).split('\n')) this.emit(stream, line);
    }
  }

  /** The masking line splitter of one of the job's byte streams; one per stream name. */
  output(stream: 'stdout' | 'stderr'): LineMasker {
    const existing = this.outputs.get(stream);
    if (existing) return existing;
    const created = new LineMasker(this.masker, (line) => this.emit(stream, line));
    this.outputs.set(stream, created);
    return created;
  }

  /** Flushes the output streams of one run (a retry gets fresh ones). */
  endOutputs(): void {
    for (const output of this.outputs.values()) output.end();
    this.outputs.clear();
  }

  close(): void {
    this.endOutputs();
    this.closed = true;
  }

  private emit(stream: LogStream, text: string): void {
    if (this.closed) return;
    this.seq += 1;
    this.sink.write({ jobId: this.jobId, seq: this.seq, stream, text, at: new Date() });
  }
}

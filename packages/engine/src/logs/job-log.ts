import { LineMasker } from '../masking/line-masker';
import type { Masker } from '../masking/masker';
import type { LogSink, LogStream } from './log-sink';

/**
 * The longest line the Script API takes (`LogLines` in its document). The SDK cuts a longer
 * line into pieces of exactly this length, so such a piece is taken as continued by the next
 * line: masked together (a secret across the cut is still found), and shown the same, as the
 * line splitter cuts displayed lines at this length too.
 */
const POSTED_LINE_MAX = 65_536;

/** How much of one job's log is kept by default (its lines' UTF-8 bytes, newlines included). */
export const DEFAULT_JOB_LOG_LIMIT_BYTES = 1024 * 1024 * 1024;

/** One byte or text stream of a job (stdout, stderr), masked and split into lines. */
export interface LogOutput {
  write(chunk: Buffer | string): void;
  end(): void;
}

/**
 * The log of one job: numbers its lines and sends every one through the build's masker to the
 * sink. Lifecycle: `output()` streams and `system()` lines any number of times, then `close()`
 * once, which flushes text the maskers still hold back. Lines written after `close()` are
 * dropped (a late stream end after a cancel).
 *
 * No method throws. Its callers are stream 'data' handlers and event listeners of the runner's
 * own process, where an exception would end the runner with every build on it; so a failure
 * to mask or store a line (a bug, or a sink that throws) stops this log instead (fail closed:
 * nothing more is written, as nothing more can be known to be masked), is noted in it once,
 * and is recorded on the masker, which makes the build end as `error`.
 */
export class JobLog {
  private seq = 0;
  private closed = false;
  private failed = false;
  private readonly outputs = new Map<LogStream, LineMasker>();
  /** A posted line cut by the SDK, waiting for its next piece. */
  private continued: LineMasker | undefined;
  private bytes = 0;
  private cut = false;

  /**
   * `limitBytes` bounds what one job may put into storage: past it, one line says the log was
   * cut, the job goes on, and its later lines are dropped (`truncated` tells the job's result).
   */
  constructor(
    readonly jobId: string,
    private readonly masker: Masker,
    private readonly sink: LogSink,
    private readonly limitBytes = DEFAULT_JOB_LOG_LIMIT_BYTES,
  ) {}

  /** Whether lines were dropped at the limit. */
  get truncated(): boolean {
    return this.cut;
  }

  /** A line from the engine itself (`+ npm ci`, pull progress, the reason a job failed). */
  system(text: string): void {
    this.lines('system', [text]);
  }

  /** Whole lines from a writer that already splits them. */
  lines(stream: LogStream, texts: readonly string[]): void {
    this.guarded(() => {
      this.endContinued();
      for (const text of texts) this.emitMasked(stream, text);
    });
  }

  /** The lines an action job posted (`POST /v1/jobs/{id}/logs`), in order, to stdout. */
  posted(texts: readonly string[]): void {
    this.guarded(() => {
      for (const text of texts) {
        const cut = text.length >= POSTED_LINE_MAX;
        if (!cut && !this.continued) {
          this.emitMasked('stdout', text);
          continue;
        }
        this.continued ??= new LineMasker(this.masker, (line) => this.emit('stdout', line));
        this.continued.write(cut ? text : `${text}\n`);
        if (!cut) this.endContinued();
      }
    });
  }

  /** The masking line splitter of one of the job's byte streams; one per stream name. */
  output(stream: 'stdout' | 'stderr'): LogOutput {
    return {
      write: (chunk) => this.guarded(() => this.lineMasker(stream).write(chunk)),
      end: () => this.guarded(() => this.endOutput(stream)),
    };
  }

  /** Flushes the output streams of one run (a retry gets fresh ones). */
  endOutputs(): void {
    for (const stream of [...this.outputs.keys()]) this.guarded(() => this.endOutput(stream));
  }

  close(): void {
    this.guarded(() => this.endContinued());
    this.endOutputs();
    this.closed = true;
  }

  private emitMasked(stream: LogStream, text: string): void {
    for (const line of this.masker.mask(text).split('\n')) this.emit(stream, line);
  }

  private endContinued(): void {
    const continued = this.continued;
    this.continued = undefined;
    continued?.end();
  }

  private lineMasker(stream: 'stdout' | 'stderr'): LineMasker {
    const existing = this.outputs.get(stream);
    if (existing) return existing;
    const created = new LineMasker(this.masker, (line) => this.emit(stream, line));
    this.outputs.set(stream, created);
    return created;
  }

  private endOutput(stream: LogStream): void {
    const output = this.outputs.get(stream);
    // Removed first: a stream whose end failed is not ended again.
    this.outputs.delete(stream);
    output?.end();
  }

  private guarded(write: () => void): void {
    if (this.failed || this.closed) return;
    try {
      write();
    } catch (error) {
      this.fail(error);
    }
  }

  /**
   * The error's own message is left out everywhere: it may quote the text being masked (V8's
   * "regular expression too large" quoted the whole pattern, secret included).
   */
  private fail(error: unknown): void {
    this.failed = true;
    this.outputs.clear();
    this.continued = undefined;
    const kind = error instanceof Error ? error.name : typeof error;
    const message =
      `Gibbon could not mask or store a line of the log of ${this.jobId} (${kind}; details ` +
      `withheld, as they may quote a secret), so it dropped the rest of that log. This is a ` +
      `fault of the runner, not of the build script: retry the build, and report it if it recurs.`;
    this.masker.recordFailure(message);
    try {
      this.seq += 1;
      this.sink.write({
        jobId: this.jobId,
        seq: this.seq,
        stream: 'system',
        text: message,
        at: new Date(),
      });
    } catch {
      // The sink itself is what failed: the build's status carries the message instead.
    }
  }

  private emit(stream: LogStream, text: string): void {
    if (this.closed || this.failed || this.cut) return;
    this.bytes += Buffer.byteLength(text, 'utf8') + 1;
    if (this.bytes > this.limitBytes) {
      this.cut = true;
      stream = 'system';
      text = `Gibbon kept the first ${formatBytes(this.limitBytes)} of this log and dropped the rest (the runner's GIBBON_JOB_LOG_LIMIT_MB); the job itself went on.`;
    }
    this.seq += 1;
    this.sink.write({ jobId: this.jobId, seq: this.seq, stream, text, at: new Date() });
  }
}

function formatBytes(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return Number.isInteger(mib) ? `${mib} MiB` : `${bytes} bytes`;
}

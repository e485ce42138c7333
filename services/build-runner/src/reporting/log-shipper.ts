import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConflictError } from '@gibbon/contracts';
import type { LogEntry, LogSink } from '@gibbon/engine';
import { defaultBackoff, type BackoffPolicy } from './backoff';
import { JobLogShipper, type PutLogChunk } from './job-log-shipper';

export interface LogShipperOptions {
  put: PutLogChunk;
  /** A build-private folder for the jobs' buffer files; created on `open`. */
  folder: string;
  /** At most this long between a line and the start of its shipping. Default 1 s. */
  flushIntervalMs?: number;
  /** A chunk ships as soon as this much gathered, and is never larger. Default 64 KiB. */
  chunkBytes?: number;
  backoff?: BackoffPolicy;
  /** Called once when public-api answers 409: the lease is gone, shipping has stopped. */
  onLeaseLost?(error: ConflictError): void;
  /** A job's chunk was refused for good (or its buffer file failed); that job ships no more. */
  onRefused?(jobId: string, error: unknown): void;
}

/**
 * The build's log sink towards public-api: one `JobLogShipper` per job, flushed every
 * `flushIntervalMs` and whenever a chunk's worth gathered.
 *
 * Lifecycle: `open()`, then `write()` from the engine (synchronously, in order per job), then
 * `close()` once, which ships what is left and resolves when all of it is stored, or when
 * `stop()` was called. `stop()` (lease lost, giving up) ends every send at once; nothing is
 * posted after it. Both are safe to call twice.
 */
export class LogShipper implements LogSink {
  private readonly jobs = new Map<string, JobLogShipper>();
  private readonly stopController = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private leaseLost = false;
  private fileNumber = 0;

  constructor(private readonly options: LogShipperOptions) {}

  async open(): Promise<void> {
    await mkdir(this.options.folder, { recursive: true, mode: 0o700 });
    this.timer = setInterval(() => this.flushAll(), this.options.flushIntervalMs ?? 1000);
    this.timer.unref();
  }

  write(entry: LogEntry): void {
    if (this.closed || this.stopController.signal.aborted) return;
    this.jobShipper(entry.jobId).write(entry.text);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await Promise.all([...this.jobs.values()].map((job) => job.drain()));
    await Promise.all([...this.jobs.values()].map((job) => job.close()));
  }

  /** Resolves once every line of `jobId` written so far is stored, or shipping stopped. */
  async drainJob(jobId: string): Promise<void> {
    await this.jobs.get(jobId)?.drain();
  }

  stop(reason: unknown = new Error('Log shipping stopped')): void {
    if (!this.stopController.signal.aborted) this.stopController.abort(reason);
  }

  private flushAll(): void {
    for (const job of this.jobs.values()) job.flush();
  }

  private jobShipper(jobId: string): JobLogShipper {
    const existing = this.jobs.get(jobId);
    if (existing) return existing;
    this.fileNumber += 1;
    const created = new JobLogShipper({
      jobId,
      // Numbered, not named after the job: a job id never becomes a file name.
      file: join(this.options.folder, `${this.fileNumber}.log`),
      put: this.options.put,
      chunkBytes: this.options.chunkBytes ?? 64 * 1024,
      backoff: this.options.backoff ?? defaultBackoff,
      stopSignal: this.stopController.signal,
      onLeaseLost: (error) => {
        if (this.leaseLost) return;
        this.leaseLost = true;
        this.stop(error);
        this.options.onLeaseLost?.(error);
      },
      onRefused: (error) => this.options.onRefused?.(jobId, error),
    });
    this.jobs.set(jobId, created);
    return created;
  }
}

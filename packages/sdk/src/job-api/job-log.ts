/**
 * The log of one action job: lines are batched and posted to `POST /v1/jobs/{id}/logs` through
 * the script's outbox, so they keep their order with the job's events. The runner masks them.
 * Lifecycle: `write` any time until `close`; `close` queues what is buffered and drops later
 * writes (the runtime closes the log just before the job's `job.ended` event, so an action that
 * ignored its timeout and goes on printing cannot post to an ended job); `waitForRoom` lets a
 * fast producer (`job.sh`) pause while too many batches wait to be sent, so a command printing
 * hundreds of MiB does not fill the memory.
 */
import { formatWithOptions } from 'node:util';
import type { Outbox } from '../client/outbox';
import type { ScriptApi } from '../client/script-api-client';

/** Where an action job's output lines go. */
export interface LogSink {
  write(line: string): void;
  flush(): Promise<void>;
  /** Undefined when there is room; otherwise settles once there is. */
  waitForRoom(): Promise<void> | undefined;
}

/** The Script API's `LogLines` limits are 1000 lines of 65536 characters; the body stays ≤ 1 MiB. */
export const MAX_LINE_CHARS = 65_536;
const maxBatchLines = 500;
const maxBatchChars = 1_048_576;
const batchDelayMs = 50;
const maxBatchesInFlight = 4;

function* pieces(line: string): Generator<string> {
  for (const part of line.split(/\r?\n/)) {
    if (part.length <= MAX_LINE_CHARS) {
      yield part;
      continue;
    }
    for (let start = 0; start < part.length; start += MAX_LINE_CHARS) {
      yield part.slice(start, start + MAX_LINE_CHARS);
    }
  }
}

export class BatchedJobLog implements LogSink {
  private pending: string[] = [];
  private pendingChars = 0;
  private timer: NodeJS.Timeout | undefined;
  private inFlight = 0;
  private roomWaiters: (() => void)[] = [];
  private closed = false;

  constructor(
    private readonly api: Pick<ScriptApi, 'appendLogs'>,
    private readonly jobId: string,
    private readonly outbox: Outbox,
  ) {}

  write(line: string): void {
    if (this.closed) return;
    for (const piece of pieces(line)) {
      this.pending.push(piece);
      this.pendingChars += piece.length;
      if (this.pending.length >= maxBatchLines || this.pendingChars >= maxBatchChars)
        void this.flush();
    }
    if (this.pending.length > 0) this.timer ??= setTimeout(() => void this.flush(), batchDelayMs);
  }

  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return this.outbox.enqueue(() => Promise.resolve());
    const lines = this.pending;
    this.pending = [];
    this.pendingChars = 0;
    this.inFlight += 1;
    return this.outbox.enqueue(() =>
      this.api.appendLogs(this.jobId, lines).finally(() => this.sent()),
    );
  }

  /** Queues the buffered lines; every later write is dropped. */
  close(): Promise<void> {
    const flushed = this.flush();
    this.closed = true;
    return flushed;
  }

  waitForRoom(): Promise<void> | undefined {
    if (this.inFlight < maxBatchesInFlight) return undefined;
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  private sent(): void {
    this.inFlight -= 1;
    if (this.inFlight >= maxBatchesInFlight) return;
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    waiters.forEach((resolve) => resolve());
  }
}

/** `job.log(...)` formatting: like console.log, without colours. */
export function formatLogLine(values: readonly unknown[]): string {
  return formatWithOptions({ colors: false }, ...values);
}

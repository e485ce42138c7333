/**
 * The log of one action job: lines are batched and posted to `POST /v1/jobs/{id}/logs` through
 * the script's outbox, so they keep their order with the job's events. The runner masks them.
 * Lifecycle: `write` any time; `flush` queues what is buffered (the runtime calls it before the
 * job's `job.ended` event).
 */
import { formatWithOptions } from 'node:util';
import type { Outbox } from '../client/outbox';
import type { ScriptApi } from '../client/script-api-client';

/** Where an action job's output lines go. */
export interface LogSink {
  write(line: string): void;
  flush(): Promise<void>;
}

const maxBatch = 500;
const batchDelayMs = 50;

export class BatchedJobLog implements LogSink {
  private pending: string[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly api: Pick<ScriptApi, 'appendLogs'>,
    private readonly jobId: string,
    private readonly outbox: Outbox,
  ) {}

  write(line: string): void {
    for (const part of line.split(/\r?\n/)) this.pending.push(part);
    if (this.pending.length >= maxBatch) {
      void this.flush();
      return;
    }
    this.timer ??= setTimeout(() => void this.flush(), batchDelayMs);
  }

  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return this.outbox.enqueue(() => Promise.resolve());
    const lines = this.pending;
    this.pending = [];
    return this.outbox.enqueue(() => this.api.appendLogs(this.jobId, lines));
  }
}

/** `job.log(...)` formatting: like console.log, without colours. */
export function formatLogLine(values: readonly unknown[]): string {
  return formatWithOptions({ colors: false }, ...values);
}

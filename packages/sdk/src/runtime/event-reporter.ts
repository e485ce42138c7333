/**
 * Turns the executor's events into Script API events (`POST /v1/events`) and action-job log
 * lines, all through the script's one outbox so they reach the runner in order: a job's last
 * log lines always arrive before its `job.ended`.
 */
import type { Outbox } from '../client/outbox';
import type { ScriptApi } from '../client/script-api-client';
import type { ScriptEvent } from '../client/types';
import type { ExecutorEvent } from '../executor/types';
import { BatchedJobLog } from '../job-api/job-log';
import type { Job } from '../jobs';

/** The Script API's limit on event messages. */
const MAX_MESSAGE_LENGTH = 4096;

export function clip(message: string): string {
  return message.length <= MAX_MESSAGE_LENGTH
    ? message
    : `${message.slice(0, MAX_MESSAGE_LENGTH - 1)}…`;
}

export class EventReporter {
  private readonly jobs: Map<string, Job>;
  private readonly logs = new Map<string, BatchedJobLog>();

  constructor(
    jobs: readonly Job[],
    private readonly api: Pick<ScriptApi, 'postEvent' | 'appendLogs'>,
    private readonly outbox: Outbox,
  ) {
    this.jobs = new Map(jobs.map((job) => [job.id, job]));
  }

  /** The log of an action job, shared by all its attempts. */
  logOf(jobId: string): BatchedJobLog {
    let log = this.logs.get(jobId);
    if (!log) {
      log = new BatchedJobLog(this.api, jobId, this.outbox);
      this.logs.set(jobId, log);
    }
    return log;
  }

  /** The executor's `onEvent`: synchronous, queues the sends. */
  readonly report = (event: ExecutorEvent): void => {
    const at = new Date().toISOString();
    switch (event.type) {
      case 'job.pending': {
        const job = this.jobs.get(event.jobId);
        this.post({
          type: 'job.pending',
          jobId: event.jobId,
          kind: event.kind ?? job?.kind ?? 'container',
          dependsOn: [...(event.dependsOn ?? job?.dependsOn ?? [])],
          at,
        });
        return;
      }
      case 'job.queued':
        this.post({ type: 'job.queued', jobId: event.jobId, at });
        return;
      case 'job.waiting':
        this.post({ type: 'job.waiting', jobId: event.jobId, at });
        return;
      case 'job.started':
        this.post({
          type: 'job.started',
          jobId: event.jobId,
          attempt: event.attempt,
          at: event.startedAt,
        });
        return;
      case 'job.retrying':
        this.retryNote(event.jobId, event.attempt, event.previousStatus, event.message);
        return;
      case 'job.ended':
        void this.logs.get(event.jobId)?.close();
        this.post({
          type: 'job.ended',
          jobId: event.jobId,
          status: event.status,
          attempts: event.attempts,
          ...(event.exitCode === undefined ? {} : { exitCode: event.exitCode }),
          ...(event.outputs ? { outputs: { ...event.outputs } } : {}),
          ...(event.message === undefined ? {} : { message: clip(event.message) }),
          at: event.endedAt,
        });
    }
  };

  private retryNote(
    jobId: string,
    attempt: number,
    previous: string,
    message: string | undefined,
  ): void {
    // Container jobs log through the runner; the note goes to action jobs' own logs only.
    if (this.jobs.get(jobId)?.kind !== 'action') return;
    this.logOf(jobId).write(
      `Attempt ${attempt - 1} ended ${previous}${message ? `: ${message}` : ''}; starting attempt ${attempt}.`,
    );
  }

  private post(event: ScriptEvent): void {
    void this.outbox.enqueue(() => this.api.postEvent(event));
  }
}

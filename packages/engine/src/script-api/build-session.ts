import type { BuildContext, JobStatus, ScriptEvent } from '@gibbon/contracts';
import { isTerminalJobStatus, NotFoundError, UnprocessableError } from '@gibbon/contracts/core';
import { JobLog } from '../logs/job-log';
import type { LogSink } from '../logs/log-sink';
import type { Masker } from '../masking/masker';
import type { ParamProvider, ParamValue } from './params';

/** What the build knows about one job, from the script's events and the runs it asked for. */
export interface JobRecord {
  jobId: string;
  status: JobStatus;
  exitCode: number | null;
  message?: string;
}

/** Receives every accepted script event (the runner forwards them to public-api). */
export type ScriptEventListener = (event: ScriptEvent) => void;

export interface BuildSessionOptions {
  context: BuildContext;
  masker: Masker;
  params: ParamProvider;
  logSink: LogSink;
  onEvent?: ScriptEventListener;
}

/**
 * The state of one build as the Script API sees it: parameters (masked as they are handed
 * out), job logs, job statuses from the script's events. Lifecycle: one per build, created
 * before the script starts, read by `runBuild` after the script has ended.
 */
export class BuildSession {
  readonly context: BuildContext;
  readonly masker: Masker;
  private readonly jobLogs = new Map<string, JobLog>();
  private readonly jobs = new Map<string, JobRecord>();
  private scriptEnded: Extract<ScriptEvent, { type: 'script.ended' }> | undefined;

  constructor(private readonly options: BuildSessionOptions) {
    this.context = options.context;
    this.masker = options.masker;
  }

  get trusted(): boolean {
    return this.context.build.trusted;
  }

  /** Every parameter the build may see (none when untrusted), each registered as a secret first. */
  async listParams(): Promise<ParamValue[]> {
    if (!this.trusted) return [];
    const values = await this.options.params.list();
    for (const { value } of values) this.masker.register(value);
    return values;
  }

  async getParam(name: string): Promise<ParamValue> {
    const value = this.trusted ? await this.options.params.get(name) : undefined;
    if (value === undefined) throw new NotFoundError(`This build has no parameter named ${name}.`);
    this.masker.register(value);
    return { name, value };
  }

  addMask(value: string): void {
    this.masker.register(value);
  }

  /** The log of `jobId`, created on first use; one numbering per job across all its writers. */
  logOf(jobId: string): JobLog {
    let log = this.jobLogs.get(jobId);
    if (!log) {
      log = new JobLog(jobId, this.masker, this.options.logSink);
      this.jobLogs.set(jobId, log);
    }
    return log;
  }

  appendLogs(jobId: string, lines: readonly string[]): void {
    if (!this.jobs.has(jobId))
      throw new NotFoundError(`No job ${jobId} was declared in this build.`);
    this.logOf(jobId).lines('stdout', lines);
  }

  recordEvent(event: ScriptEvent): void {
    if (this.scriptEnded) throw new UnprocessableError('The script already reported its end.');
    if (event.type === 'script.ended') {
      this.scriptEnded = event;
    } else if (event.type === 'job.pending') {
      this.setJob(event.jobId, 'pending');
    } else if (!this.jobs.has(event.jobId)) {
      throw new UnprocessableError(`Job ${event.jobId} was never reported as job.pending.`);
    } else {
      this.applyJobEvent(event);
    }
    this.options.onEvent?.(event);
  }

  private applyJobEvent(
    event: Exclude<ScriptEvent, { type: 'script.ended' | 'job.pending' }>,
  ): void {
    switch (event.type) {
      case 'job.queued':
        return this.setJob(event.jobId, 'queued');
      case 'job.started':
        return this.setJob(event.jobId, 'running');
      case 'job.ended':
        return this.setJob(event.jobId, event.status, event.exitCode ?? null, event.message);
    }
  }

  /** Records the outcome of a container run the engine did itself (authoritative over events). */
  setJob(jobId: string, status: JobStatus, exitCode: number | null = null, message?: string): void {
    const previous = this.jobs.get(jobId);
    this.jobs.set(jobId, {
      jobId,
      status,
      exitCode: exitCode ?? previous?.exitCode ?? null,
      ...(message !== undefined ? { message } : {}),
    });
  }

  jobRecord(jobId: string): JobRecord | undefined {
    return this.jobs.get(jobId);
  }

  /** The jobs in the order the script declared them. */
  jobRecords(): JobRecord[] {
    return [...this.jobs.values()];
  }

  scriptVerdict(): Extract<ScriptEvent, { type: 'script.ended' }> | undefined {
    return this.scriptEnded;
  }

  /**
   * Gives every job the script left unfinished (it was killed, or died) a final status:
   * `canceled` when the build was stopped, otherwise `error`. Call once the script has ended.
   */
  finishOpenJobs(stopped: boolean): void {
    for (const job of this.jobs.values()) {
      if (isTerminalJobStatus(job.status)) continue;
      const message = stopped ? 'The build was stopped.' : 'The build script ended before the job.';
      this.setJob(job.jobId, stopped ? 'canceled' : 'error', null, message);
    }
  }

  /** Flushes every job log; call once the script and its jobs have ended. */
  closeLogs(): void {
    for (const log of this.jobLogs.values()) log.close();
  }
}

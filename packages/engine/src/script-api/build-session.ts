import type {
  ApprovalAnswer,
  BuildContext,
  JobKind,
  JobStatus,
  ScriptEvent,
} from '@gibbon/contracts';
import { isTerminalJobStatus, NotFoundError, UnprocessableError } from '@gibbon/contracts';
import { JobLog } from '../logs/job-log';
import type { LogSink } from '../logs/log-sink';
import type { Masker } from '../masking/masker';
import { decisionLine, type ApprovalSource } from './approvals';
import type { ParamProvider, ParamValue } from './params';

/** What the build knows about one job, from the script's events and the runs it asked for. */
export interface JobRecord {
  jobId: string;
  status: JobStatus;
  exitCode: number | null;
  message?: string;
}

/** Receives every accepted script event, masked (the runner forwards them to public-api). */
export type ScriptEventListener = (event: ScriptEvent) => void;

export interface BuildSessionOptions {
  context: BuildContext;
  masker: Masker;
  params: ParamProvider;
  logSink: LogSink;
  onEvent?: ScriptEventListener;
  /** Bytes each job's log keeps (`JobLog`); the default is the engine's. */
  jobLogLimitBytes?: number;
  /** Decisions on jobs marked `approval`; without it, asking for one is refused, saying why. */
  approvals?: ApprovalSource;
}

/** Job statuses after which the reason is written to an action job's log as well. */
const FAILED: ReadonlySet<JobStatus> = new Set(['failure', 'error', 'timed_out']);

/**
 * The state of one build as the Script API sees it: parameters (masked as they are handed
 * out), job logs, job statuses from the script's events. Lifecycle: one per build, created
 * before the script starts, read by `runBuild` after the script has ended.
 *
 * It is where the script's words enter the runner, so every text it keeps or passes on (an
 * event's message, a job's message, the script's verdict) is masked here, once, before the
 * runner reports it and before `gibbon run` prints it. Ids are not texts: a job id is checked
 * against its pattern and kept as it is.
 */
export class BuildSession {
  readonly context: BuildContext;
  readonly masker: Masker;
  private readonly jobLogs = new Map<string, JobLog>();
  private readonly jobs = new Map<string, JobRecord>();
  private readonly kinds = new Map<string, JobKind>();
  private scriptEnded: Extract<ScriptEvent, { type: 'script.ended' }> | undefined;
  private readonly decisionsLogged = new Set<string>();

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
      log = new JobLog(jobId, this.masker, this.options.logSink, this.options.jobLogLimitBytes);
      this.jobLogs.set(jobId, log);
    }
    return log;
  }

  appendLogs(jobId: string, lines: readonly string[]): void {
    if (!this.jobs.has(jobId))
      throw new NotFoundError(`No job ${jobId} was declared in this build.`);
    this.logOf(jobId).posted(lines);
  }

  recordEvent(received: ScriptEvent): void {
    if (this.scriptEnded) throw new UnprocessableError('The script already reported its end.');
    const event = this.withLogCut(this.masked(received));
    if (event.type === 'script.ended') {
      this.scriptEnded = event;
    } else if (event.type === 'job.pending') {
      this.kinds.set(event.jobId, event.kind);
      this.setJob(event.jobId, 'pending');
    } else if (!this.jobs.has(event.jobId)) {
      throw new UnprocessableError(`Job ${event.jobId} was never reported as job.pending.`);
    } else {
      this.applyJobEvent(event);
    }
    this.options.onEvent?.(event);
  }

  /** The event with its message and outputs masked (the other fields are ids, numbers and times). */
  private masked(event: ScriptEvent): ScriptEvent {
    if (event.type !== 'job.ended' && event.type !== 'script.ended') return event;
    const outputs =
      event.type === 'job.ended' && event.outputs
        ? {
            outputs: Object.fromEntries(
              Object.entries(event.outputs).map(([name, value]) => [name, this.masker.mask(value)]),
            ),
          }
        : {};
    const message = event.message === undefined ? {} : { message: this.masker.mask(event.message) };
    return { ...event, ...message, ...outputs };
  }

  /** A job's end says when its log was cut: the failure may be in what was dropped. */
  private withLogCut(event: ScriptEvent): ScriptEvent {
    if (event.type !== 'job.ended' || !this.jobLogs.get(event.jobId)?.truncated) return event;
    const cut = "Its log was cut at the runner's limit (see the log's last line).";
    return { ...event, message: event.message ? `${event.message} ${cut}` : cut };
  }

  private applyJobEvent(
    event: Exclude<ScriptEvent, { type: 'script.ended' | 'job.pending' }>,
  ): void {
    switch (event.type) {
      case 'job.queued':
        return this.setJob(event.jobId, 'queued');
      case 'job.waiting':
        return this.setJob(event.jobId, 'waiting');
      case 'job.started':
        return this.setJob(event.jobId, 'running');
      case 'job.ended':
        this.logActionFailure(event.jobId, event.status, event.message);
        return this.setJob(event.jobId, event.status, event.exitCode ?? null, event.message);
    }
  }

  /**
   * An action job's error (what it threw) reaches the runner only as its `job.ended` message,
   * so it is written to the job's log too, after its last line: a container job's engine
   * already logs why it ended.
   */
  private logActionFailure(jobId: string, status: JobStatus, message: string | undefined): void {
    if (this.kinds.get(jobId) !== 'action' || !FAILED.has(status) || !message) return;
    this.logOf(jobId).system(
      status === 'timed_out'
        ? message
        : `Job ${status === 'error' ? 'errored' : 'failed'}: ${message}`,
    );
  }

  /**
   * The decision on a job the script reported `job.waiting`, waiting up to `waitSeconds` for
   * one (`pending` when none came). The decision is written to the job's log once.
   */
  async awaitApproval(
    jobId: string,
    waitSeconds: number,
    signal: AbortSignal,
  ): Promise<ApprovalAnswer> {
    const job = this.jobs.get(jobId);
    if (!job) throw new NotFoundError(`No job ${jobId} was declared in this build.`);
    if (job.status !== 'waiting') {
      throw new UnprocessableError(
        `Job ${jobId} is not waiting for approval (it is ${job.status}); report job.waiting first.`,
      );
    }
    const source = this.options.approvals;
    if (!source) {
      throw new UnprocessableError(
        'Nothing in this run can approve jobs: a build run by a runner takes decisions from the API, `gibbon run` from --approve.',
      );
    }
    const timeout = AbortSignal.timeout(waitSeconds * 1000);
    let decided;
    try {
      decided = await source.wait(jobId, AbortSignal.any([signal, timeout]));
    } catch (error) {
      if (signal.aborted) throw error;
      return { decision: 'pending' };
    }
    if (!this.decisionsLogged.has(jobId)) {
      this.decisionsLogged.add(jobId);
      this.logOf(jobId).system(decisionLine(decided));
    }
    return {
      decision: decided.decision,
      by: this.masker.mask(decided.by),
      at: decided.at,
      ...(decided.comment === undefined ? {} : { comment: this.masker.mask(decided.comment) }),
    };
  }

  /**
   * Records the outcome of a container run the engine did itself (authoritative over events).
   * The message is masked: the engine's own reasons quote registries, images and errors.
   */
  setJob(jobId: string, status: JobStatus, exitCode: number | null = null, message?: string): void {
    const previous = this.jobs.get(jobId);
    this.jobs.set(jobId, {
      jobId,
      status,
      exitCode: exitCode ?? previous?.exitCode ?? null,
      ...(message !== undefined ? { message: this.masker.mask(message) } : {}),
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

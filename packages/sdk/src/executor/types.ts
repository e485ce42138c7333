/**
 * The executor's interfaces: the container backend it drives, the events it reports and the
 * results it returns.
 */
import type { BuildContext } from '../context';
import type { ActionJob, ContainerJob, Job } from '../jobs';
import type { JobApi } from '../job-api/types';
import type { JobOutputs } from './outputs';
import type { JobStatus } from '@gibbon/contracts';

/** Every status a job can have (spec section 2): the one list of the contracts. */
export type { JobStatus } from '@gibbon/contracts';

/** The statuses a job ends with. */
export type FinalJobStatus = Extract<
  JobStatus,
  'success' | 'failure' | 'error' | 'skipped' | 'canceled' | 'timed_out'
>;

/** The statuses the executor gives a build (queued/running/timed_out belong to the runner). */
export type ExecutedBuildStatus = 'success' | 'failure' | 'error' | 'canceled';

/** How one attempt of a container job ended, as the backend reports it. */
export interface ContainerRunResult {
  /**
   * `failure`: the job's command exited non-zero; `error`: the infrastructure failed;
   * `timed_out`: the runner stopped it at the job's `timeout`; the runner alone times a
   * container job (the executor times only action jobs).
   */
  readonly status: 'success' | 'failure' | 'error' | 'canceled' | 'timed_out';
  readonly exitCode?: number;
  readonly message?: string;
  /** The `name=value` lines the job wrote to `$GIBBON_OUTPUT` (after a success). */
  readonly outputs?: Readonly<Record<string, string>>;
}

/**
 * Runs container jobs. Lifecycle: the executor calls `runContainer` once per attempt (a retry
 * is a new call with the next `attempt` number), possibly for several jobs at once (up to
 * `maxParallel`); the promise settles when the container has ended and is gone. The runner
 * enforces the job's `timeout` and answers `timed_out` with `jobTimedOutMessage`. When `signal`
 * aborts (the build is canceled) the backend stops the container (grace, then kill), removes
 * it and resolves `canceled`. A rejected promise counts as status `error` with its message.
 */
export interface ContainerJobRunner {
  runContainer(
    job: ContainerJob,
    options: { readonly signal: AbortSignal; readonly attempt: number },
  ): Promise<ContainerRunResult>;
}

/** What an attempt of an action may do to the build: set and read outputs, add jobs. */
export interface AttemptHooks extends JobOutputs {
  addJobs(jobs: readonly Job[]): void;
}

/** Creates the API an action job's function receives, once per attempt, with its hooks. */
export type JobApiFactory = (job: ActionJob, signal: AbortSignal, hooks: AttemptHooks) => JobApi;

/**
 * Lifecycle events, in order per job: pending (every job, before any starts), waiting (a job
 * marked `approval` whose dependencies succeeded, until a decision), queued (its dependencies
 * succeeded, and it was approved if it asked), started (attempt 1), then (retrying, started)*
 * for each retry, and ended. A job skipped or canceled before it started has no queued/started
 * events.
 */
export type ExecutorEvent =
  | {
      readonly type: 'job.pending';
      readonly jobId: string;
      /** Given for a job an action added while the build ran (`job.addJobs`). */
      readonly kind?: 'container' | 'action';
      readonly dependsOn?: readonly string[];
    }
  | { readonly type: 'job.waiting'; readonly jobId: string }
  | { readonly type: 'job.queued'; readonly jobId: string }
  | {
      readonly type: 'job.started';
      readonly jobId: string;
      readonly attempt: number;
      readonly startedAt: string;
    }
  | {
      readonly type: 'job.retrying';
      readonly jobId: string;
      readonly attempt: number;
      readonly previousStatus: FinalJobStatus;
      readonly message?: string;
    }
  | ({ readonly type: 'job.ended' } & JobResult);

export interface JobResult {
  readonly jobId: string;
  readonly status: FinalJobStatus;
  readonly exitCode?: number;
  readonly message?: string;
  /** What a job that succeeded set (`setOutput`, `$GIBBON_OUTPUT`); absent when nothing. */
  readonly outputs?: Readonly<Record<string, string>>;
  /** How many times the job ran (0 when it never started). */
  readonly attempts: number;
  readonly startedAt?: string;
  readonly endedAt: string;
}

/** A person's decision on a job marked `approval`, as the build's runner learned it. */
export interface ApprovalOutcome {
  readonly decision: 'approved' | 'rejected';
  readonly by: string;
  readonly at: string;
  readonly comment?: string;
}

/**
 * Where decisions on `approval` jobs come from: `wait` settles with the decision, or rejects
 * when `signal` aborts (the build was canceled) or the decision cannot be had (its error's
 * message ends the job `error`).
 */
export interface Approvals {
  wait(jobId: string, signal: AbortSignal): Promise<ApprovalOutcome>;
}

export interface ExecuteOptions {
  readonly ctx: BuildContext;
  readonly backend: ContainerJobRunner;
  readonly createJobApi: JobApiFactory;
  /** How many jobs run at once; at least 1. */
  readonly maxParallel: number;
  /** The build's cancellation: aborting it cancels running jobs and every job not yet started. */
  readonly signal?: AbortSignal;
  /** Called synchronously for each event; a throwing listener does not disturb the build. */
  readonly onEvent?: (event: ExecutorEvent) => void;
  /** Decisions on jobs marked `approval`; without it such a job ends `error`, saying why. */
  readonly approvals?: Approvals;
  /** Applied to each job an action adds while the build runs (as the caller did to `jobs`). */
  readonly prepareJob?: (job: Job) => Job;
}

export interface ExecutionResult {
  readonly status: ExecutedBuildStatus;
  /** One result per job, in the order the jobs were listed. */
  readonly jobs: readonly JobResult[];
}

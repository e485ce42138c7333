/**
 * What `runPipeline` returns: the build's status and, per job, its status, log and what it
 * did (parameters read and commands run by an action; the container runs it would have asked
 * the runner for). Plain data, apart from `job(id)`, which fails naming the jobs that exist.
 */
import { NotFoundError } from '../contracts';
import type { ExecutedBuildStatus, FinalJobStatus } from '../executor/types';
import type { ContainerRun } from './fake-container-runner';
import type { ShCall } from './test-job-api';

export interface JobRun {
  readonly id: string;
  readonly kind: 'container' | 'action';
  readonly status: FinalJobStatus;
  readonly exitCode?: number;
  /** Why it ended as it did (the thrown message, the dependency that stopped it, …). */
  readonly message?: string;
  /** How many times it ran (0 when it never started). */
  readonly attempts: number;
  /** Its log lines, masked as on the server. */
  readonly log: readonly string[];
  /** Action jobs: the parameter names it asked for, in order. */
  readonly paramsRead: readonly string[];
  /** Action jobs: every `job.sh()` call. */
  readonly commands: readonly ShCall[];
  /** Container jobs: each attempt, as the runner would have been asked to run it. */
  readonly containerRuns: readonly ContainerRun[];
}

export class PipelineRun {
  /** Job id → final status, in the script's order. */
  readonly statuses: Readonly<Record<string, FinalJobStatus>>;

  constructor(
    readonly status: ExecutedBuildStatus,
    readonly jobs: readonly JobRun[],
    /** Job ids in the order their first attempt started. */
    readonly started: readonly string[],
  ) {
    this.statuses = Object.fromEntries(jobs.map((job) => [job.id, job.status]));
  }

  /** The ids of the jobs the pipeline declared for this context. */
  get ids(): string[] {
    return this.jobs.map((job) => job.id);
  }

  job(id: string): JobRun {
    const found = this.jobs.find((job) => job.id === id);
    if (found) return found;
    throw new NotFoundError(
      `No job "${id}" in this run; its jobs are: ${this.ids.join(', ') || 'none'}.`,
    );
  }
}

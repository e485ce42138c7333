import type { ParamOptions } from './params';
import type { BuildContext } from '../context';
import type { Job } from '../jobs';

/** Options of `job.sh`. */
export interface ShOptions {
  /** Folder to run in, relative to the checkout (default: the checkout itself). */
  readonly cwd?: string;
  /** Added to the script process's own environment for this command only. */
  readonly env?: Readonly<Record<string, string>>;
}

/** What `job.sh` returns when the command exits with code 0. */
export interface ShResult {
  readonly exitCode: 0;
}

/**
 * The API an action job's function receives. Lifecycle: the executor creates one per attempt,
 * before calling the function, and `signal` aborts when the build is canceled or the job times
 * out; every method that talks to the runner rejects once it has aborted.
 */
export interface JobApi {
  /** The id of the job this API belongs to. */
  readonly jobId: string;
  readonly ctx: BuildContext;
  /** Aborted on cancel or timeout; pass it on to anything long-running the job starts. */
  readonly signal: AbortSignal;
  /**
   * One parameter's value, masked in every log. When the build sees no parameter of that name
   * (none is set, or the build is untrusted) the job fails saying so; with
   * `{ optional: true }` the answer is `undefined` instead.
   */
  param(name: string): Promise<string>;
  param(
    name: string,
    options: ParamOptions & { readonly optional: true },
  ): Promise<string | undefined>;
  /** Every parameter visible to the build (empty for untrusted builds). */
  params(): Promise<Record<string, string>>;
  /**
   * Run `argv` (never a shell string) in the checkout; stdout and stderr go line by line to the
   * job's log. Rejects with the exit code when it is not 0, and kills the process on abort.
   */
  sh(argv: readonly string[], options?: ShOptions): Promise<ShResult>;
  /** Write one line (its arguments joined by spaces) to the job's log. */
  log(...values: unknown[]): void;
  /** Upload the file or folder at `path` (relative to the checkout) as artifact `id`. */
  saveArtifact(id: string, path: string): Promise<void>;
  /** Unpack artifact `id` into `path` (relative to the checkout). */
  restoreArtifact(id: string, path: string): Promise<void>;
  /** Register a secret so every log of the build shows it as `***` (values under 4 characters are ignored). */
  mask(value: string): Promise<void>;
  /** Stop the job here and mark it `skipped` with `reason`. Never returns. */
  skip(reason: string): never;
  /**
   * Set output `name` of this job (letters, digits and `_`; at most 100 outputs and 64 KiB in
   * all): the jobs after it read it, and the API shows it with the job, masked. Kept only when
   * this attempt succeeds.
   */
  setOutput(name: string, value: string): void;
  /** The outputs of job `jobId`, which succeeded before this one (depend on it); throws otherwise. */
  outputs(jobId: string): Readonly<Record<string, string>>;
  /**
   * Add jobs to the running build, made from what is known only now (a matrix from this
   * job's or an earlier job's outputs). They start once their dependencies succeeded; the
   * whole graph is checked first (ids, dependencies, cycles), and a bad addition adds nothing
   * and throws. Jobs that depend on this one do not wait for them unless they say so.
   */
  addJobs(jobs: readonly Job[]): void;
}

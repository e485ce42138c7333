/**
 * The container backend of a pipeline test: no container runs; each attempt of a container
 * job is recorded (what it would run) and answered from the test's `containerResults`
 * (default: success, exit code 0). A successful job saves its declared artifacts from the
 * test's `artifacts` files (an empty folder when the test gives none).
 */
import type { ContainerJobRunner, ContainerRunResult } from '../executor/types';
import type { ContainerJob, OutputRef, SecretRef } from '../jobs';
import type { ArtifactFiles, ArtifactStore } from './artifact-store';
import type { CapturedLogs } from './captured-logs';

/** What one attempt of a container job "did". */
export interface ContainerResult {
  readonly status: ContainerRunResult['status'];
  /** Default 0 for success, 1 for failure. */
  readonly exitCode?: number;
  /** Lines the job "printed", in its log. */
  readonly output?: readonly string[];
  readonly message?: string;
}

/** Job id → its result, or one result per attempt (the last one repeats) for retries. */
export type ContainerResults = Readonly<
  Record<string, ContainerResult | readonly ContainerResult[]>
>;

/** One attempt of a container job, as the runner would have been asked to run it. */
export interface ContainerRun {
  readonly jobId: string;
  readonly attempt: number;
  readonly image: string;
  readonly script?: readonly string[];
  readonly command?: readonly string[];
  /** As the pipeline gave it: `secret('NAME')` stays a reference (the runner resolves it). */
  readonly env: Readonly<Record<string, string | SecretRef | OutputRef>>;
}

function resultFor(results: ContainerResults, jobId: string, attempt: number): ContainerResult {
  const given = results[jobId];
  if (given === undefined) return { status: 'success' };
  if (!Array.isArray(given)) return given as ContainerResult;
  const list = given as readonly ContainerResult[];
  return list[Math.min(attempt, list.length) - 1] ?? { status: 'success' };
}

function defaultExitCode(status: ContainerResult['status']): number | undefined {
  if (status === 'success') return 0;
  return status === 'failure' ? 1 : undefined;
}

function recordOf(job: ContainerJob, attempt: number): ContainerRun {
  const runs = job.script === undefined ? { command: job.command } : { script: job.script };
  return { jobId: job.id, attempt, image: job.image, ...runs, env: { ...job.env } };
}

export class FakeContainerRunner implements ContainerJobRunner {
  readonly runs: ContainerRun[] = [];

  constructor(
    private readonly results: ContainerResults,
    private readonly logs: CapturedLogs,
    private readonly artifacts: ArtifactStore,
    private readonly artifactFiles: Readonly<Record<string, ArtifactFiles>>,
  ) {}

  async runContainer(
    job: ContainerJob,
    options: { readonly signal: AbortSignal; readonly attempt: number },
  ): Promise<ContainerRunResult> {
    if (options.signal.aborted) return { status: 'canceled' };
    this.runs.push(recordOf(job, options.attempt));
    const result = resultFor(this.results, job.id, options.attempt);
    for (const line of result.output ?? []) this.logs.write(job.id, line);
    if (result.status === 'success') {
      for (const artifact of job.saveArtifacts ?? []) {
        await this.artifacts.produce(
          artifact.id,
          this.artifactFiles[artifact.id] ?? {},
          options.signal,
        );
      }
    }
    const exitCode = result.exitCode ?? defaultExitCode(result.status);
    return {
      status: result.status,
      ...(exitCode === undefined ? {} : { exitCode }),
      ...(result.message === undefined ? {} : { message: result.message }),
    };
  }
}

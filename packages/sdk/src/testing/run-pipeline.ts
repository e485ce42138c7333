/**
 * `runPipeline(build, options)`: runs a build script's jobs with the real executor (order,
 * parallelism, `when`, retries, timeouts, skips after a failure, the build status), with
 * container jobs answered by a fake backend and action jobs run for real against a test job
 * API (see `TestJobApi` for what `sh` does). Everything lives in a temp folder removed when
 * the run ends.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BuildContext } from '../context';
import { executeJobs } from '../executor/execute';
import type { Approvals, ExecutorEvent, JobResult } from '../executor/types';
import type { Job } from '../jobs';
import { resolvePipeline } from '../resolve';
import { withJobConsoles } from '../runtime/console-capture';
import { DEFAULT_MAX_PARALLEL } from '../runtime/run-build';
import { selectedJobIds, selectJobs } from '../select';
import { ArtifactStore, type ArtifactFiles } from './artifact-store';
import { CapturedLogs } from './captured-logs';
import { withConsoleCapture } from './console-capture';
import { testContext, type TestContextOptions } from './context';
import { definitionOf } from './definition';
import { FakeContainerRunner, type ContainerResults } from './fake-container-runner';
import { PipelineRun, type JobRun } from './pipeline-run';
import { TestJobApi, type ActionRecord, type ShResults } from './test-job-api';

export interface RunPipelineOptions {
  /** The build context (default: a push to `main`); see `testContext`. */
  readonly context?: TestContextOptions;
  /** Parameters the build sees (masked in every log; none reach an untrusted build). */
  readonly params?: Readonly<Record<string, string>>;
  /** How container jobs end (default: success with exit code 0). */
  readonly containerResults?: ContainerResults;
  /** How faked `job.sh()` commands end (default: exit 0, no output). */
  readonly shResults?: ShResults;
  /** Really run `job.sh()` commands, in `checkout`, instead of answering from `shResults`. */
  readonly runCommands?: boolean;
  /** The folder `sh` runs in and artifact paths start from (default: an empty temp folder). */
  readonly checkout?: string;
  /** Artifact id → files a successful container job saving it "produced". */
  readonly artifacts?: Readonly<Record<string, ArtifactFiles>>;
  /** Aborting it cancels the build, as SIGTERM does to a real one. */
  readonly signal?: AbortSignal;
  /**
   * The decision on each job marked `approval` (default: rejected, with a comment saying no
   * decision was given), as a person would make it through the API.
   */
  readonly approvals?: Readonly<Record<string, 'approve' | 'reject'>>;
}

/** Decisions from `RunPipelineOptions.approvals`, made at once by `runPipeline`. */
function decisionsOf(given: RunPipelineOptions['approvals'] = {}): Approvals {
  return {
    wait: (jobId) => {
      const decision = given[jobId];
      const at = new Date().toISOString();
      if (decision === 'approve')
        return Promise.resolve({ decision: 'approved', by: 'runPipeline', at });
      return Promise.resolve({
        decision: 'rejected',
        by: 'runPipeline',
        at,
        ...(decision === undefined && { comment: `no decision for it in the approvals option` }),
      });
    },
  };
}

function maxParallelOf(ctx: BuildContext): number {
  const configured = Number(ctx.env.GIBBON_MAX_PARALLEL);
  return Number.isInteger(configured) && configured >= 1 ? configured : DEFAULT_MAX_PARALLEL;
}

async function jobsFor(script: unknown, ctx: BuildContext): Promise<Job[]> {
  const jobs = await resolvePipeline(await definitionOf(script), ctx);
  const only = selectedJobIds(ctx);
  return only ? selectJobs(jobs, only) : jobs;
}

export async function runPipeline(
  scriptModuleOrDefinition: unknown,
  options: RunPipelineOptions = {},
): Promise<PipelineRun> {
  const ctx = testContext(options.context);
  const jobs = await jobsFor(scriptModuleOrDefinition, ctx);
  const params = options.params ?? {};
  const temp = await mkdtemp(join(tmpdir(), 'gibbon-pipeline-test-'));
  try {
    const checkout = options.checkout ?? join(temp, 'checkout');
    await mkdir(checkout, { recursive: true });
    const logs = new CapturedLogs(Object.values(params));
    const artifacts = await ArtifactStore.create(join(temp, 'artifacts'));
    const backend = new FakeContainerRunner(
      options.containerResults ?? {},
      logs,
      artifacts,
      options.artifacts ?? {},
    );
    // Every job run, also those an action added while the build ran (`job.addJobs`).
    const kinds = new Map<string, Job['kind']>(jobs.map((job) => [job.id, job.kind]));
    const records = new Map<string, ActionRecord>();
    const recordOf = (jobId: string): ActionRecord => {
      let record = records.get(jobId);
      if (!record) {
        record = { paramsRead: [], commands: [], masked: [] };
        records.set(jobId, record);
      }
      return record;
    };
    const started: string[] = [];
    const onEvent = (event: ExecutorEvent): void => {
      if (event.type === 'job.started' && event.attempt === 1) started.push(event.jobId);
    };
    const result = await withConsoleCapture(() =>
      executeJobs(
        withJobConsoles(jobs, (id) => logs.sinkOf(id)),
        {
          ctx,
          backend,
          maxParallel: maxParallelOf(ctx),
          onEvent,
          approvals: decisionsOf(options.approvals),
          prepareJob: (job) => {
            kinds.set(job.id, job.kind);
            return withJobConsoles([job], (id) => logs.sinkOf(id))[0] ?? job;
          },
          ...(options.signal ? { signal: options.signal } : {}),
          createJobApi: (job, signal, outputs) =>
            new TestJobApi({
              hooks: outputs,
              jobId: job.id,
              ctx,
              signal,
              log: logs.sinkOf(job.id),
              params,
              checkout,
              artifacts,
              shResults: options.shResults ?? {},
              runCommands: options.runCommands ?? false,
              record: recordOf(job.id),
              onMask: (value) => logs.addSecret(value),
            }),
        },
      ),
    );
    const jobRuns = result.jobs.map((jobResult): JobRun => {
      const id = jobResult.jobId;
      const record = recordOf(id);
      return {
        ...summaryOf(jobResult),
        kind: kinds.get(id) ?? 'container',
        log: logs.linesOf(id),
        paramsRead: record.paramsRead,
        commands: record.commands,
        containerRuns: backend.runs.filter((run) => run.jobId === id),
      };
    });
    return new PipelineRun(result.status, jobRuns, started);
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

function summaryOf(
  result: JobResult,
): Pick<JobRun, 'id' | 'status' | 'exitCode' | 'message' | 'attempts'> {
  return {
    id: result.jobId,
    status: result.status,
    attempts: result.attempts,
    ...(result.exitCode === undefined ? {} : { exitCode: result.exitCode }),
    ...(result.message === undefined ? {} : { message: result.message }),
  };
}

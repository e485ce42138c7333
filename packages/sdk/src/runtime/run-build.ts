/**
 * One build, from the script's side: fetch the context, load and resolve the pipeline, report
 * every job as pending, run the graph, report `script.ended`. Every failure becomes an outcome
 * (never a rejection) so the caller only maps it to an exit code.
 */
import { Outbox } from '../client/outbox';
import type { ScriptApi } from '../client/script-api-client';
import type { BuildContext, GivenContext } from '../context';
import { messageOf } from '../message-of';
import { executeJobs } from '../executor/execute';
import type { ExecutedBuildStatus, JobResult } from '../executor/types';
import { ScriptJobApi } from '../job-api/script-job-api';
import type { Job } from '../jobs';
import { contextWithInputs, resolvePipeline } from '../resolve';
import { selectedJobIds, selectJobs } from '../select';
import { withJobConsoles } from './console-capture';
import { clip, EventReporter } from './event-reporter';
import { loadDefinition, type ScriptModule, type ScriptModuleLoader } from './load-definition';
import { ScriptApiContainerRunner } from './container-runner';
import { ScriptApiApprovals } from './script-approvals';

/** Jobs run at once when the runner does not say (`GIBBON_MAX_PARALLEL` in the build's env). */
export const DEFAULT_MAX_PARALLEL = 4;

export interface RunBuildDeps {
  readonly api: ScriptApi;
  /** The checkout: action jobs' `sh` runs here, artifact paths are relative to it. */
  readonly checkout: string;
  /** The environment `job.sh` commands start from. */
  readonly baseEnv: NodeJS.ProcessEnv;
  /** The build's cancellation (SIGTERM). */
  readonly signal: AbortSignal;
  /** A line of the script's own log (`_script`); default stdout. */
  readonly note?: (line: string) => void;
}

/**
 * What a re-run of failed jobs reuses and runs, and which reused jobs the pipeline no longer
 * makes (matched by id): the lines of the script's log that say so.
 */
export function reuseNotes(ctx: BuildContext, jobs: readonly Job[]): string[] {
  const reuse = ctx.build.reuse;
  if (!reuse) return [];
  const ids = new Set(jobs.map((job) => job.id));
  const reused = reuse.jobs.filter((id) => ids.has(id));
  const gone = reuse.jobs.filter((id) => !ids.has(id));
  const running = jobs.filter((job) => !reuse.jobs.includes(job.id)).map((job) => job.id);
  const list = (items: readonly string[]) => (items.length > 0 ? items.join(', ') : 'none');
  return [
    `Re-running the failed jobs of build #${reuse.fromBuild}: reusing ${list(reused)}; running ${list(running)}.`,
    ...(gone.length > 0
      ? [
          `The pipeline no longer makes ${gone.join(', ')}, which succeeded in build #${reuse.fromBuild}; the jobs are matched by id.`,
        ]
      : []),
  ];
}

export interface BuildOutcome {
  readonly status: ExecutedBuildStatus;
  /** Why the build errored, for `script.ended` (and stderr, unless a job's log says it). */
  readonly message?: string;
  /** The job whose error `message` repeats: that job's log holds it already. */
  readonly erroredJobId?: string;
  readonly jobs: readonly JobResult[];
}

function maxParallelOf(ctx: BuildContext): number {
  const configured = Number(ctx.env.GIBBON_MAX_PARALLEL);
  return Number.isInteger(configured) && configured >= 1 ? configured : DEFAULT_MAX_PARALLEL;
}

async function prepare(
  moduleOrLoader: ScriptModule | ScriptModuleLoader,
  api: ScriptApi,
): Promise<{ ctx: BuildContext; jobs: Job[] } | { error: string }> {
  let given: GivenContext;
  try {
    given = await api.getBuild();
  } catch (error) {
    return { error: `Could not fetch the build context: ${messageOf(error)}` };
  }
  let definition: unknown;
  try {
    definition = await loadDefinition(moduleOrLoader);
  } catch (error) {
    return { error: `The build script threw while loading: ${messageOf(error)}` };
  }
  try {
    // Inputs first: a build whose inputs the pipeline refuses runs none of its jobs.
    const ctx = contextWithInputs(definition, given);
    const jobs = await resolvePipeline(definition, ctx);
    const only = selectedJobIds(ctx);
    return { ctx, jobs: only ? selectJobs(jobs, only) : jobs };
  } catch (error) {
    return { error: messageOf(error) };
  }
}

async function finish(
  api: ScriptApi,
  outbox: Outbox,
  outcome: BuildOutcome,
): Promise<BuildOutcome> {
  const message = outcome.message === undefined ? {} : { message: clip(outcome.message) };
  void outbox.enqueue(() =>
    api.postEvent({
      type: 'script.ended',
      status: outcome.status,
      ...message,
      at: new Date().toISOString(),
    }),
  );
  try {
    await outbox.drain();
    return outcome;
  } catch (error) {
    return {
      status: 'error',
      message: `Could not report the build to the runner: ${messageOf(error)}`,
      jobs: outcome.jobs,
    };
  }
}

export async function runBuild(
  moduleOrLoader: ScriptModule | ScriptModuleLoader,
  deps: RunBuildDeps,
): Promise<BuildOutcome> {
  const { api } = deps;
  const outbox = new Outbox();
  const prepared = await prepare(moduleOrLoader, api);
  if ('error' in prepared)
    return finish(api, outbox, { status: 'error', message: prepared.error, jobs: [] });

  const { ctx, jobs } = prepared;
  const note = deps.note ?? ((line: string) => process.stdout.write(`${line}\n`));
  for (const line of reuseNotes(ctx, jobs)) note(line);
  const reporter = new EventReporter(jobs, api, outbox);
  // Action jobs' console output goes to their own logs (once `installConsoleCapture` ran).
  const result = await executeJobs(
    withJobConsoles(jobs, (id) => reporter.logOf(id)),
    {
      ctx,
      backend: new ScriptApiContainerRunner(api),
      maxParallel: maxParallelOf(ctx),
      signal: deps.signal,
      onEvent: reporter.report,
      approvals: new ScriptApiApprovals(api, outbox),
      prepareJob: (job) => withJobConsoles([job], (id) => reporter.logOf(id))[0] ?? job,
      createJobApi: (job, signal, outputs) =>
        new ScriptJobApi({
          hooks: outputs,
          api,
          jobId: job.id,
          ctx,
          signal,
          log: reporter.logOf(job.id),
          checkout: deps.checkout,
          baseEnv: deps.baseEnv,
        }),
    },
  );
  const errored = result.jobs.find((job) => job.status === 'error');
  const message = errored
    ? `Job "${errored.jobId}" errored: ${errored.message ?? 'no message'}`
    : undefined;
  return finish(api, outbox, {
    status: result.status,
    ...(message && errored ? { message, erroredJobId: errored.jobId } : {}),
    jobs: result.jobs,
  });
}

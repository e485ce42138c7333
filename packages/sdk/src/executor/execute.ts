/**
 * The job-graph executor: starts every job whose dependencies all succeeded, up to
 * `maxParallel` at once, in the order the jobs were listed; a job marked `approval` first waits
 * for its decision (taking no slot); a job the build reuses (`ctx.build.reuse`, a re-run of
 * failed jobs) ends `success` without running once its dependencies did; skips the dependents of a job that did not succeed;
 * cancels everything on the build's signal. The graph must already be
 * validated (`resolvePipeline`); `executeJobs` validates it again so a caller can't skip that.
 */
import { InputError } from '../contracts';
import { validateJobGraph } from '../graph';
import type { Job } from '../jobs';
import { awaitApproval } from './approval';
import { OutputBoard } from './outputs';
import { runJob } from './run-job';
import { buildStatusOf } from './status';
import type { ExecuteOptions, ExecutionResult, ExecutorEvent, JobResult } from './types';

/** blocked: a dependency has not ended; approval: waiting for a person's decision. */
type Phase = 'blocked' | 'approval' | 'queued' | 'running';

export async function executeJobs(
  jobs: readonly Job[],
  options: ExecuteOptions,
): Promise<ExecutionResult> {
  if (!Number.isInteger(options.maxParallel) || options.maxParallel < 1) {
    throw new InputError(`maxParallel must be a whole number ≥ 1, got ${options.maxParallel}.`);
  }
  validateJobGraph(jobs);
  const buildSignal = options.signal ?? new AbortController().signal;
  const emit = (event: ExecutorEvent): void => {
    try {
      options.onEvent?.(event);
    } catch {
      // A broken listener must not wedge the build; the runtime reports its own failures.
    }
  };
  // Grows when a running action adds jobs (`job.addJobs`): a graph made from outputs.
  const graph: Job[] = [...jobs];
  const phases = new Map<string, Phase>(jobs.map((job) => [job.id, 'blocked']));
  const results = new Map<string, JobResult>();
  const outputs = new OutputBoard();
  // A re-run of failed jobs only: these succeeded in the build it re-runs, and don't run again.
  const reuse = options.ctx.build.reuse;
  const reused = new Set(reuse?.jobs ?? []);
  const queue: Job[] = [];
  let running = 0;

  for (const job of jobs) emit({ type: 'job.pending', jobId: job.id });

  return new Promise<ExecutionResult>((resolve) => {
    const finish = (result: JobResult): void => {
      phases.delete(result.jobId);
      // Before dependents are promoted: they may read what it set.
      if (result.status === 'success') outputs.record(result.jobId, result.outputs);
      results.set(result.jobId, result);
      emit({ type: 'job.ended', ...result });
    };
    const endWithoutRunning = (job: Job, status: 'skipped' | 'canceled', message: string): void =>
      finish({ jobId: job.id, status, message, attempts: 0, endedAt: new Date().toISOString() });

    const enqueue = (job: Job): void => {
      phases.set(job.id, 'queued');
      queue.push(job);
      emit({ type: 'job.queued', jobId: job.id });
    };

    const waitForApproval = (job: Job): void => {
      phases.set(job.id, 'approval');
      void awaitApproval(job, { ...options, buildSignal, emit }).then((notRun) => {
        if (phases.get(job.id) !== 'approval') return; // canceled with the build meanwhile
        if (notRun)
          finish({ jobId: job.id, ...notRun, attempts: 0, endedAt: new Date().toISOString() });
        else enqueue(job);
        step();
      });
    };

    const promoteReadyJobs = (): void => {
      for (const job of graph) {
        if (phases.get(job.id) !== 'blocked') continue;
        const deps = (job.dependsOn ?? []).map((id) => results.get(id));
        if (deps.some((dep) => dep === undefined)) continue;
        const notSucceeded = deps.find((dep) => dep?.status !== 'success');
        if (notSucceeded) {
          endWithoutRunning(
            job,
            'skipped',
            `Its dependency "${notSucceeded.jobId}" ended ${notSucceeded.status}.`,
          );
          continue;
        }
        if (reused.has(job.id)) {
          const kept = reuse?.outputs?.[job.id];
          finish({
            jobId: job.id,
            status: 'success',
            ...(kept ? { outputs: kept } : {}),
            message: `Reused from build #${reuse?.fromBuild ?? '?'}, where it succeeded.`,
            attempts: 0,
            endedAt: new Date().toISOString(),
          });
        } else if (job.approval) waitForApproval(job);
        else enqueue(job);
      }
    };

    const startQueuedJobs = (): void => {
      while (running < options.maxParallel && queue.length > 0 && !buildSignal.aborted) {
        const job = queue.shift() as Job;
        phases.set(job.id, 'running');
        running += 1;
        void runJob(job, { ...options, buildSignal, emit, outputs, addJobs }).then((result) => {
          running -= 1;
          finish(result);
          step();
        });
      }
    };

    /**
     * Jobs a running action adds; they start once their dependencies succeeded, like the
     * others. The whole graph is validated again first: a bad addition adds nothing and fails
     * the action that made it, with the graph's problems named.
     */
    const addJobs = (added: readonly Job[]): void => {
      if (buildSignal.aborted) throw new InputError('The build was canceled; no job can be added.');
      const prepared = added.map((job) => options.prepareJob?.(job) ?? job);
      validateJobGraph([...graph, ...prepared]);
      for (const job of prepared) {
        graph.push(job);
        phases.set(job.id, 'blocked');
        emit({
          type: 'job.pending',
          jobId: job.id,
          kind: job.kind,
          dependsOn: [...(job.dependsOn ?? [])],
        });
      }
    };

    const cancelNotStarted = (): void => {
      queue.length = 0;
      for (const job of graph) {
        const phase = phases.get(job.id);
        if (phase === 'blocked' || phase === 'queued' || phase === 'approval')
          endWithoutRunning(job, 'canceled', 'The build was canceled.');
      }
    };

    // Runs until nothing changes; a finished job re-enters here. Dependents are promoted in a
    // loop because a skipped job can make its own dependents skippable at once.
    const step = (): void => {
      if (buildSignal.aborted) cancelNotStarted();
      let before = -1;
      while (before !== results.size) {
        before = results.size;
        promoteReadyJobs();
      }
      startQueuedJobs();
      if (results.size === graph.length) {
        buildSignal.removeEventListener('abort', step);
        const ordered = graph.map((job) => results.get(job.id) as JobResult);
        resolve({ status: buildStatusOf(ordered, buildSignal.aborted), jobs: ordered });
      }
    };

    buildSignal.addEventListener('abort', step, { once: true });
    step();
  });
}

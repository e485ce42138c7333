/**
 * An explicit fake container backend for executor unit tests: each job's behaviour is scripted
 * per attempt, and the fake records what a real backend's caller could observe (start order,
 * how many containers ran at once, which signals aborted). Like the runner, it owns a container
 * job's timeout: a run longer than the job's `timeout` is stopped and answered `timed_out`.
 */
import { jobTimedOutMessage } from '../src/contracts';
import type { ContainerJobRunner, ContainerRunResult } from '../src/executor';
import type { ContainerJob } from '../src/jobs';

export interface ScriptedRun {
  /** How long the "container" runs, in ms. */
  readonly ms?: number;
  readonly result?: ContainerRunResult;
  /** Reject instead of resolving (an infrastructure failure). */
  readonly throws?: string;
}

export class FakeContainerRunner implements ContainerJobRunner {
  readonly started: string[] = [];
  readonly aborted: string[] = [];
  running = 0;
  maxRunning = 0;

  constructor(private readonly scripts: Record<string, ScriptedRun | ScriptedRun[]> = {}) {}

  async runContainer(
    job: ContainerJob,
    { signal, attempt }: { signal: AbortSignal; attempt: number },
  ): Promise<ContainerRunResult> {
    const scripted = this.scripts[job.id] ?? {};
    const run = Array.isArray(scripted) ? (scripted[attempt - 1] ?? {}) : scripted;
    this.started.push(job.id);
    this.running += 1;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    try {
      const ms = run.ms ?? 5;
      if (job.timeout !== undefined && ms > job.timeout * 1000) {
        const stopped = await this.wait(job.timeout * 1000, signal);
        if (!stopped) {
          this.aborted.push(job.id);
          return { status: 'timed_out', message: jobTimedOutMessage(job.timeout) };
        }
      }
      const aborted = await this.wait(ms, signal);
      if (aborted) {
        this.aborted.push(job.id);
        return { status: 'canceled', message: 'container stopped' };
      }
      if (run.throws !== undefined) throw new Error(run.throws);
      return run.result ?? { status: 'success', exitCode: 0 };
    } finally {
      this.running -= 1;
    }
  }

  /** Resolves true when `signal` aborts first, false when `ms` pass. */
  private wait(ms: number, signal: AbortSignal): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve(false);
      }, ms);
      const onAbort = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}

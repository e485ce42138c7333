import type { BuildResult } from '@gibbon/contracts';
import type { BuildExecutor, BuildRun } from '../src/runner/build-executor';

interface Running {
  run: BuildRun;
  finish(result: BuildResult): void;
}

/**
 * Stands in for checkout + engine: each build reports one job event, then runs until the test
 * finishes it or its signal aborts (answering `canceled`, as the engine does).
 */
export class FakeExecutor implements BuildExecutor {
  readonly running = new Map<string, Running>();
  readonly started: string[] = [];
  private waiters: Array<() => void> = [];

  execute(run: BuildRun): Promise<BuildResult> {
    const id = run.claim.build.id;
    this.started.push(id);
    run.report({
      type: 'job.pending',
      jobId: 'test',
      kind: 'container',
      dependsOn: [],
      at: new Date().toISOString(),
    });
    return new Promise<BuildResult>((resolve) => {
      const finish = (result: BuildResult) => {
        this.running.delete(id);
        resolve(result);
      };
      run.signal.addEventListener('abort', () => finish({ status: 'canceled' }), { once: true });
      this.running.set(id, { run, finish });
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  finish(buildId: string, result: BuildResult = { status: 'success' }): void {
    const running = this.running.get(buildId);
    if (!running) throw new Error(`build ${buildId} is not running`);
    running.finish(result);
  }

  /** Resolves once `count` builds run at the same time. */
  async untilRunning(count: number): Promise<void> {
    while (this.running.size < count)
      await new Promise<void>((resolve) => this.waiters.push(resolve));
  }
}

import { ConflictError, type BuildResult, type Claim } from '@gibbon/contracts';
import { ApprovalBoard } from '@gibbon/engine/script-api';
import type { Logger } from '../logger';
import type { BackoffPolicy } from '../reporting/backoff';
import { EventReporter } from '../reporting/event-reporter';
import { retryWhileUnavailable } from '../reporting/retry';
import type { BuildApi, RunnerApi } from '../runner-api/runner-api';
import { BuildStop, type BuildExecutor, type BuildStopReason } from './build-executor';
import { LeaseKeeper } from './lease-keeper';
import type { BuildOutcome } from '../metrics/runner-metrics';

export interface ClaimedBuildDeps {
  api: RunnerApi;
  executor: BuildExecutor;
  logger: Logger;
  backoff: BackoffPolicy;
  heartbeat?: { minIntervalMs?: number; maxIntervalMs?: number };
  /** How long the final reports (events, `build.ended`, result) may keep retrying. */
  reportTimeoutMs: number;
}

/**
 * One claimed build from claim to result. The lease is renewed throughout; `cancel: true`
 * from a heartbeat, a 409 from any call, or the runner stopping aborts the build's one
 * AbortController. After a 409 nothing more is posted for the build. Otherwise the build
 * ends with `build.ended` and its result, repeated while public-api is unreachable.
 * `done` resolves when all of that is over; it never rejects.
 */
export class ClaimedBuild {
  readonly done: Promise<void>;
  private readonly controller = new AbortController();
  private readonly reporting = new AbortController();
  private readonly approvals = new ApprovalBoard();
  private leaseLost = false;
  private result: BuildResult['status'] | undefined;

  constructor(
    readonly claim: Claim,
    private readonly deps: ClaimedBuildDeps,
  ) {
    this.done = this.run();
  }

  get id(): string {
    return this.claim.build.id;
  }

  /** How the build ended, once `done` resolved: its result, or `lease_lost`. */
  get outcome(): BuildOutcome {
    return this.leaseLost || this.result === undefined ? 'lease_lost' : this.result;
  }

  /** Aborts the build; the first reason counts. A lost lease also stops all reporting. */
  stop(reason: BuildStopReason): void {
    if (reason === 'lease-lost' && !this.leaseLost) {
      this.leaseLost = true;
      this.deps.logger.log(
        'warn',
        'lease lost; build stopped, nothing more is posted',
        this.fields(),
      );
      this.reporting.abort(new BuildStop('lease-lost'));
    }
    if (!this.controller.signal.aborted) this.controller.abort(new BuildStop(reason));
  }

  private async run(): Promise<void> {
    const api = this.deps.api.forBuild(this.claim);
    const events = this.eventReporter(api);
    const keeper = new LeaseKeeper({
      api,
      leaseExpiresAt: this.claim.lease.expiresAt,
      backoff: this.deps.backoff,
      ...this.deps.heartbeat,
      onCancel: () => this.stop('canceled'),
      onApprovals: (decisions) => {
        for (const { jobId, ...decision } of decisions) this.approvals.record(jobId, decision);
      },
      onLeaseLost: () => this.stop('lease-lost'),
      onFailure: (error) =>
        this.deps.logger.log('warn', 'heartbeat failed', { ...this.fields(), error }),
    });
    keeper.start();
    try {
      const result = await this.execute(api, events);
      this.result = result.status;
      if (!this.leaseLost) await this.finish(api, events, result);
    } finally {
      await keeper.stop();
    }
  }

  private async execute(api: BuildApi, events: EventReporter): Promise<BuildResult> {
    try {
      const result = await this.deps.executor.execute({
        claim: this.claim,
        api,
        signal: this.controller.signal,
        reportingSignal: this.reporting.signal,
        report: (event, after) => events.post(event, after),
        leaseLost: () => this.stop('lease-lost'),
        approvals: this.approvals,
      });
      return this.stoppedByRunner() ? withRunnerStopMessage(result) : result;
    } catch (error) {
      this.deps.logger.log('error', 'build failed in the runner', { ...this.fields(), error });
      const message = error instanceof Error ? error.message : String(error);
      return { status: 'error', message: `The runner failed: ${message}`.slice(0, 4096) };
    }
  }

  private async finish(api: BuildApi, events: EventReporter, result: BuildResult): Promise<void> {
    const giveUp = setTimeout(
      () => this.reporting.abort(new Error('gave up reporting')),
      this.deps.reportTimeoutMs,
    );
    try {
      events.post({ type: 'build.ended', ...result, at: new Date().toISOString() });
      await events.flush();
      if (this.reporting.signal.aborted) return;
      await retryWhileUnavailable((signal) => api.postResult(result, signal), {
        backoff: this.deps.backoff,
        signal: this.reporting.signal,
      });
      this.deps.logger.log('info', 'build finished', { ...this.fields(), status: result.status });
    } catch (error) {
      if (error instanceof ConflictError) this.stop('lease-lost');
      else this.deps.logger.log('error', 'could not post the result', { ...this.fields(), error });
    } finally {
      clearTimeout(giveUp);
    }
  }

  private eventReporter(api: BuildApi): EventReporter {
    return new EventReporter({
      api,
      backoff: this.deps.backoff,
      stopSignal: this.reporting.signal,
      onLeaseLost: () => this.stop('lease-lost'),
      onRejected: (event, error) =>
        this.deps.logger.log('warn', 'public-api refused an event', {
          ...this.fields(),
          event: event.type,
          error,
        }),
    });
  }

  private stoppedByRunner(): boolean {
    const reason: unknown = this.controller.signal.reason;
    return reason instanceof BuildStop && reason.reason === 'runner-stopping';
  }

  private fields(): Record<string, unknown> {
    const { build } = this.claim;
    return { buildId: build.id, org: build.org, repo: build.repo, number: build.number };
  }
}

function withRunnerStopMessage(result: BuildResult): BuildResult {
  if (result.status !== 'canceled') return result;
  return { status: 'canceled', message: 'The runner shut down before the build finished.' };
}

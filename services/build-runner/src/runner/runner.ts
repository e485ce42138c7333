import { AuthenticationError, ConflictError, NotAllowedError } from '@gibbon/contracts';
import { backoffDelay, sleep } from '../reporting/backoff';
import type { RunnerMetrics } from '../metrics/runner-metrics';
import { ClaimedBuild, type ClaimedBuildDeps } from './claimed-build';

export interface RunnerOptions extends ClaimedBuildDeps {
  /** Builds run at once. */
  capacity: number;
  /** Milliseconds running builds get to finish after `drain()` before they are canceled. */
  drainTimeoutMs: number;
  /** Seconds one claim request may wait for a build (the long-poll). Default 30. */
  claimWaitSeconds?: number;
  /**
   * Milliseconds a claim already on its way when `drain()` is called may still take before it
   * is aborted. Default 2000. public-api gives back a claim whose runner hung up before the
   * answer, but not one whose answer was already sent: aborting at once would leave a build
   * that was on the wire without a runner until its lease ran out.
   */
  claimGraceMs?: number;
  /** Counts builds, slots and failed claims (`GET /metrics`); none without it. */
  metrics?: RunnerMetrics;
  /**
   * `--once` (`GIBBON_RUNNER_ONCE=1`): claim one build (for one slot, whatever `capacity` is),
   * run and report it, then stop; `run()` resolves. Until that build comes it keeps polling.
   */
  once?: boolean;
}

/** `finishing`: a `once` runner got its build; it claims no more, and `drain()` still applies. */
type RunnerState = 'idle' | 'running' | 'finishing' | 'draining' | 'stopped';

/**
 * The claim loop: long-polls for a build whenever a slot is free, runs up to `capacity`
 * builds at once. Lifecycle: `run()` once; it resolves when the loop has stopped and every
 * build has ended and been reported. `drain()` (first SIGTERM) stops claiming (a claim on its
 * way gets `claimGraceMs` to answer, and a build it brings runs like the others), lets running
 * builds finish for `drainTimeoutMs`, then cancels them; `cancelAll()` (second SIGTERM)
 * aborts the claim and cancels the builds at once. Both are safe to call at any time and more
 * than once. With `once`, the first build claimed ends the loop: `run()` resolves once it has
 * been reported.
 */
export class Runner {
  private state: RunnerState = 'idle';
  private readonly builds = new Map<string, ClaimedBuild>();
  private readonly claiming = new AbortController();
  private slotFreed: (() => void) | undefined;
  private drainTimer: NodeJS.Timeout | undefined;
  private claimGraceTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: RunnerOptions) {}

  /** The builds running now. */
  get running(): number {
    return this.builds.size;
  }

  async run(): Promise<void> {
    if (this.state !== 'idle') throw new Error('Runner.run() may be called once.');
    this.state = 'running';
    await this.claimLoop();
    await Promise.all([...this.builds.values()].map((build) => build.done));
    clearTimeout(this.drainTimer);
    clearTimeout(this.claimGraceTimer);
    this.state = 'stopped';
  }

  drain(): void {
    if (this.state === 'draining' || this.state === 'stopped') return;
    this.state = 'draining';
    this.options.logger.log('info', 'draining: no more claims', { running: this.running });
    this.claimGraceTimer = setTimeout(
      () => this.claiming.abort(new Error('draining')),
      this.options.claimGraceMs ?? 2_000,
    );
    this.claimGraceTimer.unref();
    this.slotFreed?.();
    this.drainTimer = setTimeout(() => this.cancelAll(), this.options.drainTimeoutMs);
    this.drainTimer.unref();
  }

  cancelAll(): void {
    this.drain();
    this.claiming.abort(new Error('stopping'));
    for (const build of this.builds.values()) build.stop('runner-stopping');
  }

  private async claimLoop(): Promise<void> {
    let failures = 0;
    while (this.state === 'running') {
      await this.freeSlot();
      if (this.state !== 'running') return;
      try {
        const claim = await this.options.api.claim({
          waitSeconds: this.options.claimWaitSeconds ?? 30,
          capacity: this.options.once ? 1 : this.options.capacity - this.builds.size,
          signal: this.claiming.signal,
        });
        failures = 0;
        // Also while draining: this claim was on its way when the stop came.
        if (claim) this.start(new ClaimedBuild(claim, this.options));
        if (claim && this.options.once) this.finishAfterThisBuild();
      } catch (error) {
        if (this.claiming.signal.aborted) return;
        failures += 1;
        this.options.metrics?.claimFailed();
        this.logClaimFailure(error);
        await sleep(backoffDelay(this.options.backoff, failures), this.claiming.signal).catch(
          () => undefined,
        );
      }
    }
  }

  /** A `once` runner claims nothing more; unlike `drain()`, its build gets no time limit. */
  private finishAfterThisBuild(): void {
    if (this.state !== 'running') return;
    this.state = 'finishing';
    this.options.logger.log('info', 'runs once: no more claims', { running: this.running });
  }

  private start(build: ClaimedBuild): void {
    const claimedAt = performance.now();
    this.builds.set(build.id, build);
    this.options.metrics?.running(this.builds.size);
    this.options.logger.log('info', 'build claimed', {
      buildId: build.id,
      running: this.builds.size,
    });
    void build.done.then(() => {
      this.builds.delete(build.id);
      this.options.metrics?.running(this.builds.size);
      this.options.metrics?.buildEnded(build.outcome, (performance.now() - claimedAt) / 1000);
      this.slotFreed?.();
    });
  }

  /** Resolves when fewer than `capacity` builds run, or the runner stops claiming. */
  private async freeSlot(): Promise<void> {
    while (this.builds.size >= this.options.capacity && this.state === 'running') {
      await new Promise<void>((resolve) => (this.slotFreed = resolve));
      this.slotFreed = undefined;
    }
  }

  private logClaimFailure(error: unknown): void {
    const denied = error instanceof AuthenticationError || error instanceof NotAllowedError;
    // 409: the runner's os/arch labels deny this machine; an admin must act.
    const refused = error instanceof ConflictError;
    const message = denied
      ? 'public-api refused the runner token; check GIBBON_RUNNER_TOKEN (retrying)'
      : refused
        ? `public-api refused the claim: ${error.message} (retrying)`
        : 'claim failed (retrying)';
    this.options.logger.log(denied || refused ? 'error' : 'warn', message, { error });
  }
}

import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** How a build ended on this runner: its result, or the lease lost to public-api. */
export type BuildOutcome =
  'success' | 'failure' | 'error' | 'canceled' | 'timed_out' | 'lease_lost';

/**
 * What this runner knows about itself, in a registry of its own (not prom-client's global
 * one): the builds it ran by outcome and how long they took (claim to result), its slots, and
 * the claim polls that failed. Labels hold outcomes only: never a build id or a branch.
 */
export class RunnerMetrics {
  readonly registry = new Registry();
  private readonly builds: Counter<'result'>;
  private readonly duration: Histogram<'result'>;
  private readonly busy: Gauge;
  private readonly claimErrors: Counter;

  constructor(capacity: number) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.builds = new Counter({
      name: 'gibbon_runner_builds_total',
      help: 'Builds this runner ran, by result (lease_lost: public-api took the build back).',
      labelNames: ['result'],
      registers,
    });
    this.duration = new Histogram({
      name: 'gibbon_runner_build_duration_seconds',
      help: 'Time from the claim to the posted result of a build, by result.',
      labelNames: ['result'],
      buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200],
      registers,
    });
    this.busy = new Gauge({
      name: 'gibbon_runner_busy_slots',
      help: 'Builds running on this runner now.',
      registers,
    });
    new Gauge({
      name: 'gibbon_runner_capacity_slots',
      help: 'Builds this runner runs at once (GIBBON_RUNNER_CAPACITY).',
      registers,
    }).set(capacity);
    this.claimErrors = new Counter({
      name: 'gibbon_runner_claim_errors_total',
      help: 'Claim polls that failed (public-api unreachable, refused the token, answered 5xx).',
      registers,
    });
  }

  buildEnded(outcome: BuildOutcome, seconds: number): void {
    this.builds.inc({ result: outcome });
    this.duration.observe({ result: outcome }, seconds);
  }

  running(builds: number): void {
    this.busy.set(builds);
  }

  claimFailed(): void {
    this.claimErrors.inc();
  }
}

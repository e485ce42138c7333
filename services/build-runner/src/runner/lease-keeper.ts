import { ConflictError, type ApprovalDecision } from '@gibbon/contracts';
import { backoffDelay, sleep, type BackoffPolicy } from '../reporting/backoff';
import type { BuildApi } from '../runner-api/runner-api';

export interface LeaseKeeperOptions {
  api: Pick<BuildApi, 'heartbeat'>;
  leaseExpiresAt: string;
  backoff: BackoffPolicy;
  /**
   * Bounds of the time between heartbeats; between them it is a third of the lease left.
   * The heartbeat is also how a cancel and an approval arrive, so the default upper bound
   * (5 s) is what a user waits at most before the build starts stopping (or the job starts).
   */
  minIntervalMs?: number;
  maxIntervalMs?: number;
  /** The heartbeat answered `cancel: true` (called once). */
  onCancel(): void;
  /** Decisions on the build's approval jobs, from every heartbeat that carries some (repeated). */
  onApprovals?(decisions: readonly ApprovalDecision[]): void;
  /** The heartbeat answered 409: the lease was taken back (called once; the keeper stops). */
  onLeaseLost(error: ConflictError): void;
  /** A heartbeat failed for another reason; the next one is tried sooner. */
  onFailure(error: unknown): void;
}

/**
 * Renews one build's lease from claim to result. Heartbeats come every third of the time the
 * lease has left, so two can fail before it lapses; a failed one is repeated with backoff,
 * never later than that. Lifecycle: `start()` once, `stop()` when the result is posted
 * (idempotent); `stop()` also ends a heartbeat in flight.
 */
export class LeaseKeeper {
  private readonly stopController = new AbortController();
  private expiresAt: number;
  private canceled = false;
  private loop: Promise<void> | undefined;

  constructor(private readonly options: LeaseKeeperOptions) {
    this.expiresAt = Date.parse(options.leaseExpiresAt);
  }

  start(): void {
    this.loop ??= this.run().catch(() => undefined);
  }

  async stop(): Promise<void> {
    this.stopController.abort(new Error('lease keeper stopped'));
    await this.loop;
  }

  private async run(): Promise<void> {
    const signal = this.stopController.signal;
    let failures = 0;
    while (!signal.aborted) {
      const regular = this.regularInterval();
      const wait =
        failures === 0 ? regular : Math.min(regular, backoffDelay(this.options.backoff, failures));
      await sleep(wait, signal);
      try {
        // A heartbeat that hangs must not outlive the time the lease has left.
        const patience = AbortSignal.timeout(Math.max(1000, regular));
        const answer = await this.options.api.heartbeat(AbortSignal.any([signal, patience]));
        failures = 0;
        this.expiresAt = Date.parse(answer.leaseExpiresAt);
        if (answer.approvals) this.options.onApprovals?.(answer.approvals);
        if (answer.cancel && !this.canceled) {
          this.canceled = true;
          this.options.onCancel();
        }
      } catch (error) {
        if (signal.aborted) return;
        if (error instanceof ConflictError) {
          this.options.onLeaseLost(error);
          return;
        }
        failures += 1;
        this.options.onFailure(error);
      }
    }
  }

  private regularInterval(): number {
    const { minIntervalMs = 200, maxIntervalMs = 5_000 } = this.options;
    const third = (this.expiresAt - Date.now()) / 3;
    return Math.min(
      maxIntervalMs,
      Math.max(minIntervalMs, Number.isFinite(third) ? third : minIntervalMs),
    );
  }
}

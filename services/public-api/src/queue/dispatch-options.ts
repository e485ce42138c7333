/** Timings of dispatch; tests shorten them, production keeps the defaults. */
export interface DispatchOptions {
  /** How long a lease lasts without a heartbeat (spec: 60 s). */
  readonly leaseMs: number;
  /** Lifetime of build tokens: the build timeout. */
  readonly buildTimeoutSeconds: number;
  /**
   * How often a waiting claim looks at the queue although nothing woke it: a safety net for a
   * lost signal (builds queued by another process wake claims through the Postgres bridge).
   */
  readonly recheckMs: number;
  /** How often the sweeper looks for expired leases. */
  readonly sweepMs: number;
}

export const defaultDispatchOptions: DispatchOptions = {
  leaseMs: 60_000,
  buildTimeoutSeconds: 3 * 60 * 60,
  recheckMs: 1_500,
  sweepMs: 5_000,
};

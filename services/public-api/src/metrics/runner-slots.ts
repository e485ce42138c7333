/** A runner's report is counted this long after its last claim while it holds no lease. */
const reportTtlMs = 10 * 60_000;

interface SlotReport {
  readonly capacity: number;
  readonly at: number;
}

/**
 * The build slots of each runner as public-api learns them: a claim carries the slots the
 * runner has free, and the leases it holds are the busy ones, so its capacity is their sum at
 * the claim. A full runner stops claiming, so a runner that holds a lease keeps counting
 * however old its report is. In memory: another public-api process knows its own claims.
 */
export class RunnerSlots {
  private readonly reports = new Map<string, SlotReport>();

  reported(runnerId: string, freeSlots: number, busySlots: number, at: number): void {
    this.reports.set(runnerId, { capacity: freeSlots + busySlots, at });
  }

  /** The sum over runners that reported recently or hold a lease; never below what is busy. */
  capacity(busyByRunner: ReadonlyMap<string, number>, now: number): number {
    let total = 0;
    for (const [runnerId, report] of this.reports) {
      const busy = busyByRunner.get(runnerId) ?? 0;
      if (busy === 0 && now - report.at > reportTtlMs) {
        this.reports.delete(runnerId);
        continue;
      }
      total += Math.max(report.capacity, busy);
    }
    for (const [runnerId, busy] of busyByRunner) {
      if (!this.reports.has(runnerId)) total += busy;
    }
    return total;
  }
}

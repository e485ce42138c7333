import type { ApprovalDecision } from '@gibbon/contracts';

/** A person's decision on a job marked `approval`: who, when, and why. */
export type Decision = Omit<ApprovalDecision, 'jobId'>;

/**
 * Where a build's decisions come from: the runner learns them from public-api (its heartbeat),
 * `gibbon run` from its `--approve` flags. The script never makes one.
 */
export interface ApprovalSource {
  /** Settles with the decision on `jobId` once there is one; rejects when `signal` aborts. */
  wait(jobId: string, signal: AbortSignal): Promise<Decision>;
}

/**
 * Decisions as they arrive (`record`), for the waits of a build's jobs. The first decision on
 * a job stands; recording it again (every heartbeat repeats them) changes nothing.
 */
export class ApprovalBoard implements ApprovalSource {
  private readonly decided = new Map<string, Decision>();
  private readonly waiters = new Map<string, Set<(decision: Decision) => void>>();

  record(jobId: string, decision: Decision): void {
    if (this.decided.has(jobId)) return;
    this.decided.set(jobId, decision);
    for (const wake of this.waiters.get(jobId) ?? []) wake(decision);
    this.waiters.delete(jobId);
  }

  wait(jobId: string, signal: AbortSignal): Promise<Decision> {
    const known = this.decided.get(jobId);
    if (known) return Promise.resolve(known);
    return new Promise((resolve, reject) => {
      const wake = (decision: Decision): void => {
        signal.removeEventListener('abort', stop);
        resolve(decision);
      };
      const stop = (): void => {
        this.waiters.get(jobId)?.delete(wake);
        reject(signal.reason instanceof Error ? signal.reason : new Error('The wait was stopped.'));
      };
      if (signal.aborted) return stop();
      signal.addEventListener('abort', stop, { once: true });
      const waiting = this.waiters.get(jobId) ?? new Set();
      waiting.add(wake);
      this.waiters.set(jobId, waiting);
    });
  }
}

/** "Approved by ops at 2026-…: Ship it": the line a job's log gets when it is decided. */
export function decisionLine(decision: Decision): string {
  const verb = decision.decision === 'approved' ? 'Approved' : 'Rejected';
  const why = decision.comment ? `: ${decision.comment}` : '.';
  return `${verb} by ${decision.by} at ${decision.at}${why}`;
}

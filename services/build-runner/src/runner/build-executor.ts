import type { BuildResult, Claim, RunnerEvent } from '@gibbon/contracts';
import type { ApprovalSource } from '@gibbon/engine/script-api';
import type { BuildApi } from '../runner-api/runner-api';

/** Why a build's signal was aborted; the reason of its AbortController. */
export type BuildStopReason = 'canceled' | 'lease-lost' | 'runner-stopping';

export class BuildStop extends Error {
  constructor(readonly reason: BuildStopReason) {
    super(`Build stopped: ${reason}`);
    this.name = 'BuildStop';
  }
}

/** What the orchestration hands to an executor for one claimed build. */
export interface BuildRun {
  claim: Claim;
  api: BuildApi;
  /** The build's one cancellation signal: through checkout, script and every container. */
  signal: AbortSignal;
  /**
   * Aborted when nothing more may be posted for the build (lease lost, or the final reports
   * were given up on): stop shipping logs at once.
   */
  reportingSignal: AbortSignal;
  /**
   * Queues an event for public-api (in order, retried); dropped after the lease is lost. With
   * `after`, the event (and every later one) waits until it settles: a job's `job.ended` waits
   * for that job's log to be stored, since public-api ends `?follow=true` streams at job end.
   */
  report(event: RunnerEvent, after?: Promise<void>): void;
  /** An executor's own reporting (logs) got a 409: stop the build, post nothing more. */
  leaseLost(): void;
  /** Decisions on the build's jobs marked `approval`, as its heartbeats bring them. */
  approvals: ApprovalSource;
}

/**
 * Runs one claimed build to its outcome: checkout, `build.started`, the engine, log
 * shipping. Never throws for anything the repository, the script or public-api does; that
 * is part of the outcome. Owns (creates and deletes) the build's folder. When `signal`
 * aborts it stops promptly and answers `canceled`.
 */
export interface BuildExecutor {
  execute(run: BuildRun): Promise<BuildResult>;
}

import {
  AuthenticationError,
  ConflictError,
  NotAllowedError,
  NotFoundError,
  UnprocessableError,
} from '@gibbon/contracts';
import type { Principal } from '../auth';
import { nowIso } from '../ids';
import type { Build } from '../builds';
import type { Store, TxRepositories } from '../store';
import type { LeasesRepository } from './leases.repository';

/** A build token may only speak for its own build (403 otherwise). */
export function assertOwnBuild(principal: Principal, buildId: string): void {
  if (principal.kind !== 'build' || principal.buildId !== buildId) {
    throw new NotAllowedError('This build token belongs to another build.');
  }
}

/**
 * A build token names the lease it was issued with (its `lease` claim). Once that lease is
 * lost and the build claimed again, the old runner's token must not speak for the new attempt,
 * even if it learns the new lease id: it is refused as a token that no longer holds (401).
 * Tokens issued before the claim existed carry none; the lease header alone fences them.
 */
export function assertTokenLease(principal: Principal, leaseId: string | undefined): void {
  if (principal.kind !== 'build' || leaseId === undefined) return;
  const issuedFor = principal.claims.lease;
  if (issuedFor === undefined || issuedFor === leaseId) return;
  throw new AuthenticationError(
    `This build token was issued for lease ${JSON.stringify(issuedFor)}, not "${leaseId}": the build ` +
      'was taken back from that lease. Stop the build; only a new claim brings a valid token.',
  );
}

export interface FenceOptions {
  /** Renew the lease to this time (heartbeat). */
  readonly extendTo?: string;
  /** How a call after the build's result is refused: events are 422, the rest 409. */
  readonly afterResult?: 'conflict' | 'unprocessable';
}

/**
 * Runs `work` in one transaction that first proves `leaseId` is the build's active,
 * unexpired lease (and locks it). A stale lease (taken back, expired, ended, another
 * runner's) throws before anything is written, so a fenced call changes nothing.
 */
export async function withLease<T>(
  store: Store,
  buildId: string,
  leaseId: string,
  work: (tx: TxRepositories, build: Build) => Promise<T>,
  options: FenceOptions = {},
): Promise<T> {
  return store.transaction(async (tx) => {
    const { leases } = tx;
    if (!(await leases.hold(buildId, leaseId, nowIso(), options.extendTo))) {
      throw await refusal(leases, buildId, leaseId, options);
    }
    const build = await tx.builds.findById(buildId);
    if (!build) throw new NotFoundError(`No build "${buildId}".`);
    return work(tx, build);
  });
}

async function refusal(
  leases: LeasesRepository,
  buildId: string,
  leaseId: string,
  options: FenceOptions,
): Promise<Error> {
  const lease = await leases.find(leaseId);
  if (!lease || lease.build_id !== buildId) {
    return new ConflictError(`Lease "${leaseId}" is not a lease of build "${buildId}".`);
  }
  if (lease.state === 'ended' && options.afterResult === 'unprocessable') {
    return new UnprocessableError('The build already has its result; no more events are taken.');
  }
  const why =
    lease.state === 'ended'
      ? 'the build already has its result'
      : 'it was not renewed in time and was taken back';
  return new ConflictError(
    `Lease "${leaseId}" no longer holds build "${buildId}": ${why}. Stop the build.`,
  );
}

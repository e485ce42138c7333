import type { BuildRequeuedEvent } from '@gibbon/contracts';
import type { Build } from '../builds';
import type { LeaseRecord } from './leases.repository';
import type { TxRepositories } from '../store';

/**
 * Records, inside the sweeper's transaction, that `build` lost its runner and was re-queued:
 * a line at the top of the build's `_script` log (a note, which outlives the log index the
 * re-queue clears) and the `build.requeued` event to publish once that transaction committed.
 *
 * The runner was last heard from at its lease's last renewal: the claim and every heartbeat
 * set `expires_at` to `leaseMs` ahead, so that is `expires_at - leaseMs` (at least the claim).
 */
export async function recordRequeue(
  tx: TxRepositories,
  build: Build,
  lease: LeaseRecord,
  leaseMs: number,
  now: string,
): Promise<BuildRequeuedEvent> {
  const runner = await tx.runners.findById(lease.runner_id);
  // An admin names runners; a name is shown in a log line, so it stays on one plain line.
  // eslint-disable-next-line no-control-regex -- replacing control characters is the point.
  const name = (runner?.name ?? lease.runner_id).replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  const lastRenewal = Math.max(
    Date.parse(lease.created_at),
    Date.parse(lease.expires_at) - leaseMs,
  );
  const stoppedRespondingAt = new Date(lastRenewal).toISOString();
  const attempt = build.claims + 1;
  const message = `runner ${name} stopped responding at ${stoppedRespondingAt}; build re-queued (attempt ${attempt})`;
  await tx.buildNotes.add(build.id, now, message);
  return {
    type: 'build.requeued',
    org: build.org,
    repo: build.repo,
    buildId: build.id,
    number: build.number,
    runner: { id: lease.runner_id, name },
    stoppedRespondingAt,
    attempt,
    message,
    at: now,
  };
}

import type { Repo } from '../domain';
import type { TxRepositories } from '../store';
import type { Build, NewBuild } from './build';
import { supersedesOlder } from './concurrency';

/** A build just queued, and the older builds of its group it canceled while queued. */
export interface QueuedBuild {
  readonly build: Build;
  /** Canceled before a runner took them: announce each as finished after the commit. */
  readonly canceled: readonly Build[];
}

/**
 * Queues `build` inside the caller's transaction and, when the repository cancels superseded
 * builds (`concurrency.mode: cancel-previous`, the branch not protected), cancels the older
 * builds of its group in the same transaction: a queued one at once, a running one by asking
 * its runner to stop (it learns so on its next heartbeat, stops the containers and reports
 * `canceled`). Every caller that queues a build goes through here, so no path skips the rule.
 */
export async function queueBuild(
  tx: TxRepositories,
  repo: Repo,
  build: NewBuild,
  at: string,
): Promise<QueuedBuild> {
  const stored = await tx.builds.insertQueued(build, at);
  if (stored.concurrencyGroup === null || !supersedesOlder(repo, stored.git)) {
    return { build: stored, canceled: [] };
  }
  const older = await tx.builds.olderInGroup(repo.id, stored.concurrencyGroup, stored.number);
  const canceled: Build[] = [];
  const note = `Superseded by build #${stored.number}.`;
  for (const each of older) {
    const wasQueued = await tx.builds.transition(each.id, ['queued'], 'canceled', {
      finishedAt: at,
      message: `Canceled before a runner took it: superseded by build #${stored.number}.`,
    });
    if (wasQueued) {
      canceled.push({ ...each, status: 'canceled', finishedAt: at });
      continue;
    }
    await tx.builds.requestCancel(each.id);
    await tx.buildNotes.add(each.id, at, `${note} Canceling it.`);
  }
  return { build: stored, canceled };
}

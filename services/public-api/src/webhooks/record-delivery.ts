import type { Repo } from '../domain';
import type { BuildTrigger } from '../github';
import { nowIso } from '../ids';
import { type Build, newBuildOf, queueBuild, type QueuedBuild } from '../builds';
import type { TxRepositories } from '../store';
import type { DeliveryRecord } from './webhooks.repository';

/** The build a delivery made or found, or the earlier answer to the same delivery id. */
export type RecordedDelivery =
  | { readonly kind: 'build'; readonly build: Build; readonly created: false }
  | { readonly kind: 'build'; readonly build: Build; readonly created: QueuedBuild }
  | { readonly kind: 'answered'; readonly delivery: DeliveryRecord };

/**
 * In one transaction (`tx`): the build already recorded for the delivery id, else the build of
 * the trigger's content key (the delivery is recorded pointing at it), else a new queued build
 * with its content key and delivery. Reads before it writes, so `inTransaction` may run it again
 * after a unique violation (two deliveries raced) and it then finds the winner's build.
 */
export async function recordBuildDelivery(
  tx: TxRepositories,
  repo: Repo,
  trigger: BuildTrigger,
  base: Pick<DeliveryRecord, 'id' | 'webhook_id' | 'event'>,
): Promise<RecordedDelivery> {
  const { webhooks, builds } = tx;
  const recorded = await webhooks.findDelivery(base.id);
  // Answered without a build before (e.g. ignored for another repository): stays answered so.
  if (recorded && recorded.build_id === null) return { kind: 'answered', delivery: recorded };
  const existingId =
    recorded?.build_id ?? (await webhooks.findBuildIdByContentKey(repo.id, trigger.contentKey));
  const existing =
    existingId === undefined || existingId === null ? undefined : await builds.findById(existingId);
  const receivedAt = nowIso();
  if (existing) {
    if (!recorded) {
      await webhooks.insertDelivery({
        ...base,
        received_at: receivedAt,
        outcome: 'build',
        reason: null,
        build_id: existing.id,
      });
    }
    return { kind: 'build', build: existing, created: false };
  }
  const queued = await queueBuild(
    tx,
    repo,
    newBuildOf(repo, {
      source: trigger.event,
      trusted: trigger.trusted,
      paramsSealed: null,
      git: {
        ref: trigger.ref,
        branch: trigger.branch,
        tag: trigger.tag,
        commit: trigger.commit,
        message: trigger.message,
        author: trigger.author,
        changedFiles: trigger.changedFiles,
        pullRequest: trigger.pullRequest && { ...trigger.pullRequest },
      },
    }),
    receivedAt,
  );
  const { build } = queued;
  await webhooks.insertContentKey(repo.id, trigger.contentKey, build.id);
  await webhooks.insertDelivery({
    ...base,
    received_at: receivedAt,
    outcome: 'build',
    reason: null,
    build_id: build.id,
  });
  return { kind: 'build', build, created: queued };
}

/** A delivery for another GitHub repository than the one stored makes no build. */
export function repoMismatch(
  repo: Repo,
  trigger: Pick<BuildTrigger, 'githubRepo'>,
): string | undefined {
  if (repo.githubRepo === null) return undefined;
  if (repo.githubRepo.toLowerCase() === trigger.githubRepo.toLowerCase()) return undefined;
  return `the delivery is for ${JSON.stringify(trigger.githubRepo.slice(0, 100))}, but this webhook's repository is ${repo.githubRepo}`;
}

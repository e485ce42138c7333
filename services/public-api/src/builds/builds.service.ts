import {
  ConflictError,
  InputError,
  NotFoundError,
  type BuildTrigger as TriggerBody,
} from '@gibbon/contracts';
import { seal } from '../crypto/aead';
import type { DataKeys } from '../crypto/data-keys';
import type { Repo } from '../domain';
import type { Store } from '../store';
import { nowIso } from '../ids';
import type { ReposService } from '../repos';
import { assertParamValues } from '../validation';
import { isFinished, type Build, type BuildWithJobs, type NewBuild } from './build';
import { buildStatusEvent, type BuildHub } from '../events';
import { gitFactsOfTrigger } from './manual-trigger';
import { buildObjectId, type AuditRow, type AuditService } from '../audit';
import type { Principal } from '../auth';
import { manualTriggerVerdict } from '../github';
import { concurrencyGroupOf } from './concurrency';
import { queueBuild, type QueuedBuild } from './queue-build';

export interface BuildPage {
  readonly items: BuildWithJobs[];
  readonly nextCursor: string | null;
}

/** Associated data of a build's trigger parameters. */
export function buildParamsContext(org: string, repoId: string): string {
  return `gibbon/build-params/${org}/${repoId}`;
}

/**
 * Builds as users see them: trigger, list, get, cancel, retry. Every status change is stored
 * first and announced on the hub after its transaction committed.
 */
export class BuildsService {
  constructor(
    private readonly store: Store,
    private readonly repos: ReposService,
    private readonly dataKeys: DataKeys,
    private readonly hub: BuildHub,
    private readonly audit: AuditService,
  ) {}

  async trigger(org: string, repoName: string, body: TriggerBody): Promise<BuildWithJobs> {
    const git = gitFactsOfTrigger(body);
    if (body.params !== undefined) assertParamValues(body.params);
    const repo = await this.repos.get(org, repoName);
    const verdict = manualTriggerVerdict(repo.triggers);
    if (!verdict.build) {
      throw new ConflictError(
        `${org}/${repoName} refuses manual builds: ${verdict.reason}. Add "manual" to its triggers.events (or remove the list) to build it by hand.`,
      );
    }
    const paramsSealed =
      body.params === undefined || body.params.length === 0
        ? null
        : seal(
            await this.dataKeys.keyOf(org),
            JSON.stringify(body.params),
            buildParamsContext(org, repo.id),
          );
    const inputs = body.inputs && Object.keys(body.inputs).length > 0 ? body.inputs : null;
    const build = {
      ...newBuildOf(repo, { source: 'api', trusted: true, git, paramsSealed }),
      inputs,
    };
    return this.enqueue(repo, build);
  }

  /**
   * Stores a queued build (and its audit row, when given) in one transaction, with what its
   * repository's concurrency settings cancel (`queueBuild`); announces both.
   */
  private async enqueue(
    repo: Repo,
    build: NewBuild,
    auditRow?: (stored: Build) => AuditRow,
  ): Promise<BuildWithJobs> {
    const queued = await this.store.transaction(async (tx) => {
      const done = await queueBuild(tx, repo, build, nowIso());
      if (auditRow) await tx.audit.insert(auditRow(done.build));
      return done;
    });
    this.announceQueued(queued);
    return { ...queued.build, jobs: [] };
  }

  /**
   * Wakes waiting claims and tells watchers of the new build and of the builds it canceled;
   * call after the transaction that queued it committed.
   */
  announceQueued({ build, canceled }: QueuedBuild): void {
    this.hub.buildQueued();
    this.hub.publish(buildStatusEvent(build));
    for (const each of canceled) {
      this.hub.publish(buildStatusEvent(each));
      this.hub.buildFinished(each);
    }
  }

  async list(org: string, repoName: string, limit: number, cursor?: string): Promise<BuildPage> {
    const repo = await this.repos.get(org, repoName);
    const before = cursor === undefined ? undefined : cursorNumber(cursor);
    const page = await this.store.builds.list(repo.id, limit + 1, before);
    const items = await this.store.builds.withJobs(page.slice(0, limit));
    const last = items[items.length - 1];
    return { items, nextCursor: page.length > limit && last ? String(last.number) : null };
  }

  async get(org: string, repoName: string, number: number): Promise<BuildWithJobs> {
    const build = await this.find(org, repoName, number);
    const [withJobs] = await this.store.builds.withJobs([build]);
    return withJobs ?? { ...build, jobs: [] };
  }

  async getById(id: string): Promise<BuildWithJobs> {
    const build = await this.store.builds.findById(id);
    if (!build) throw new NotFoundError(`No build "${id}".`);
    const [withJobs] = await this.store.builds.withJobs([build]);
    return withJobs ?? { ...build, jobs: [] };
  }

  /**
   * A queued build is canceled at once; a running one is marked, and its runner learns it
   * from its next heartbeat (then posts the result `canceled`).
   */
  async cancel(
    org: string,
    repoName: string,
    number: number,
    actor?: Principal,
  ): Promise<BuildWithJobs> {
    const build = await this.find(org, repoName, number);
    if (isFinished(build)) {
      throw new ConflictError(`Build #${number} already finished (${build.status}).`);
    }
    const at = nowIso();
    const canceledWhileQueued = await this.store.transaction((tx) =>
      tx.builds.transition(build.id, ['queued'], 'canceled', {
        finishedAt: at,
        message: 'Canceled before a runner took it.',
      }),
    );
    if (canceledWhileQueued) {
      this.hub.publish(buildStatusEvent({ ...build, status: 'canceled' }));
      this.hub.buildFinished({ ...build, status: 'canceled', finishedAt: at });
    } else {
      await this.store.builds.requestCancel(build.id);
    }
    await this.audit.record(actor, {
      action: 'build.canceled',
      org,
      object: { type: 'build', id: buildObjectId(org, repoName, number) },
    });
    return this.get(org, repoName, number);
  }

  /**
   * Re-runs a finished build as a new build with the same git facts, trust and parameters.
   * With `failedOnly`, the jobs that succeeded are reused (they end `success` at once), so only
   * the rest runs; a build none of whose jobs failed has nothing to re-run that way.
   */
  async retry(
    org: string,
    repoName: string,
    number: number,
    failedOnly = false,
    actor?: Principal,
  ): Promise<BuildWithJobs> {
    const build = await this.get(org, repoName, number);
    if (!isFinished(build)) {
      throw new ConflictError(
        `Build #${number} has not finished yet (${build.status}); cancel it first.`,
      );
    }
    const reused = build.jobs.filter((job) => job.status === 'success').map((job) => job.id);
    if (failedOnly && (build.jobs.length === 0 || reused.length === build.jobs.length)) {
      throw new ConflictError(
        build.jobs.length === 0
          ? `Build #${number} has no jobs to reuse (its script ended before declaring any); retry it without failed=true.`
          : `Every job of build #${number} succeeded; retry it without failed=true to run them all again.`,
      );
    }
    const row =
      actor &&
      (await this.audit.rowOf(actor, {
        action: 'build.retried',
        org,
        object: { type: 'build', id: buildObjectId(org, repoName, number) },
      }));
    const repo = await this.repos.get(org, repoName);
    const newBuild: NewBuild = {
      ...newBuildOf(repo, {
        source: 'retry',
        trusted: build.trusted,
        git: build.git,
        paramsSealed: build.paramsSealed,
      }),
      retryOf: build.number,
      inputs: build.inputs,
      ...(failedOnly ? { reusedJobs: reused } : {}),
    };
    return this.enqueue(
      repo,
      newBuild,
      row &&
        ((stored) => ({ ...row, detail: JSON.stringify({ build: stored.number, failedOnly }) })),
    );
  }

  private async find(org: string, repoName: string, number: number): Promise<Build> {
    const repo = await this.repos.get(org, repoName);
    const build = await this.store.builds.findByNumber(repo.id, number);
    if (!build) throw new NotFoundError(`No build #${number} of ${org}/${repoName}.`);
    return build;
  }
}

export function newBuildOf(
  repo: Repo,
  what: Pick<NewBuild, 'source' | 'trusted' | 'git' | 'paramsSealed'>,
): NewBuild {
  return {
    repoId: repo.id,
    org: repo.org,
    repo: repo.name,
    retryOf: null,
    concurrencyGroup: concurrencyGroupOf(repo, what.git),
    ...what,
  };
}

function cursorNumber(cursor: string): number {
  const number = Number(cursor);
  if (!/^\d{1,15}$/.test(cursor) || number < 1) {
    throw new InputError('cursor must be the nextCursor of a previous page.');
  }
  return number;
}

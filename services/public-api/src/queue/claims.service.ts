import type { Claim } from '@gibbon/contracts';
import { signJwt, buildTokenProfile } from '../auth';
import { newId } from '../ids';
import { type Build, buildJson, reuseChain } from '../builds';
import type { ReposService } from '../repos';
import type { SigningKeysService } from '../keys';
import { buildStatusEvent, type BuildHub } from '../events';
import type { Label } from '../domain';
import type { Store } from '../store';
import type { DispatchOptions } from './dispatch-options';
import { reposClosedTo } from './runs-on';

/** A claimed build as the runner gets it. */
export type ClaimAnswer = Claim;

/**
 * `POST /v1/runner/claim`: hands the oldest queued build to a runner with a lease and a build
 * token (only builds its labels allow: `runs-on`; none to a runner an admin drained). Waiting
 * is event-driven: a claim sleeps until the hub says a build was queued (here, or on Postgres
 * in another process), the periodic re-check (a safety net), the deadline, or the runner hung
 * up.
 */
export class ClaimsService {
  constructor(
    private readonly store: Store,
    private readonly hub: BuildHub,
    private readonly repos: ReposService,
    private readonly signingKeys: SigningKeysService,
    private readonly options: DispatchOptions,
  ) {}

  /** Resolves with a claim, or `undefined` after `waitMs` or once `signal` aborts. */
  async claim(
    runner: { readonly id: string; readonly labels: readonly Label[] },
    waitMs: number,
    signal: AbortSignal,
  ): Promise<ClaimAnswer | undefined> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const generation = this.hub.generation;
      const claimed = await this.tryClaim(runner);
      if (claimed) return claimed;
      const left = deadline - Date.now();
      if (left <= 0 || signal.aborted || this.hub.closed) return undefined;
      await this.waitForQueued(generation, Math.min(left, this.options.recheckMs), signal);
    }
  }

  /**
   * Gives back a claim that never reached its runner (it hung up while the claim was made):
   * the build is queued again at once. The lease was never renewed, so it never counts as a
   * lost runner (the limit of two); it does count as one of the five hand-overs a build gets
   * before it is given up (`LeaseSweeper`).
   */
  async release(buildId: string, leaseId: string): Promise<void> {
    const released = await this.store.transaction(async ({ leases, builds }) => {
      if (!(await leases.giveBack(leaseId))) return undefined;
      return builds.unclaim(buildId);
    });
    if (!released) return;
    this.hub.buildQueued();
    this.hub.publish(buildStatusEvent(released));
  }

  private async tryClaim(runner: {
    readonly id: string;
    readonly labels: readonly Label[];
  }): Promise<ClaimAnswer | undefined> {
    const closed = await reposClosedTo(this.store.repos, runner.labels);
    // One instant for both: a lease whose span is longer than leaseMs was renewed (sweeper).
    const claimedAt = Date.now();
    const now = new Date(claimedAt).toISOString();
    const leaseExpiresAt = new Date(claimedAt + this.options.leaseMs).toISOString();
    const leaseId = newId('lease');
    const build = await this.store.transaction(async ({ builds, leases, runners }) => {
      // Read in the transaction: a waiting claim of a runner drained since gets nothing more.
      if (await runners.isDraining(runner.id)) return undefined;
      // Postgres lets concurrent claims skip each other's locked rows; SQLite has one writer.
      const skipLocked = this.store.backend === 'postgres';
      const claimed = await builds.claimOldestQueued(now, skipLocked, closed);
      if (!claimed) return undefined;
      await leases.insert({
        id: leaseId,
        build_id: claimed.id,
        runner_id: runner.id,
        attempt: claimed.claims,
        state: 'active',
        expires_at: leaseExpiresAt,
        created_at: now,
      });
      return claimed;
    });
    if (!build) return undefined;
    this.hub.publish(buildStatusEvent(build));
    this.hub.buildClaimed(build);
    return this.answer(build, leaseId, leaseExpiresAt);
  }

  private async answer(build: Build, leaseId: string, expiresAt: string): Promise<ClaimAnswer> {
    const repo = await this.repos.get(build.org, build.repo);
    const ring = await this.signingKeys.ring('build');
    return {
      build: buildJson({ ...build, jobs: [] }),
      lease: { id: leaseId, expiresAt },
      // Bound to this lease: a runner that loses it cannot act for the next claim's attempt.
      buildToken: signJwt(ring, buildTokenProfile, build.id, this.options.buildTimeoutSeconds, {
        lease: leaseId,
      }),
      repo: {
        org: repo.org,
        name: repo.name,
        url: repo.url,
        mainBranch: repo.mainBranch,
        labels: [...repo.labels],
        githubRepo: repo.githubRepo,
        cloneToken: await this.repos.githubTokenOf(repo),
        untrustedNetwork: repo.untrustedNetwork,
      },
      ...(await this.reusedOutputs(build)),
    };
  }

  /**
   * A re-run of failed jobs only: what the reused jobs set in the build it re-runs, and every
   * build their artifacts may be in (a job reused twice saved them two builds back).
   */
  private async reusedOutputs(
    build: Build,
  ): Promise<Pick<ClaimAnswer, 'reusedOutputs' | 'reusedFrom'>> {
    if (!build.reusedJobs || build.retryOf === null) return {};
    const reusedFrom = { reusedFrom: await reuseChain(this.store.builds, build) };
    const first = await this.store.builds.findByNumber(build.repoId, build.retryOf);
    if (!first) return reusedFrom;
    const [withJobs] = await this.store.builds.withJobs([first]);
    const reused = new Set(build.reusedJobs);
    const outputs = Object.fromEntries(
      (withJobs?.jobs ?? [])
        .filter((job) => reused.has(job.id) && job.outputs)
        .map((job) => [job.id, { ...job.outputs }]),
    );
    return Object.keys(outputs).length > 0 ? { ...reusedFrom, reusedOutputs: outputs } : reusedFrom;
  }

  /** Resolves when a build was queued since `generation`, after `ms`, or on abort. */
  private waitForQueued(generation: number, ms: number, signal: AbortSignal): Promise<void> {
    if (this.hub.generation !== generation || this.hub.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        unsubscribe();
        unsubscribeClosing();
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      const unsubscribe = this.hub.onQueued(done);
      const unsubscribeClosing = this.hub.onClosing(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }
}

import {
  ConflictError,
  UnprocessableError,
  type BuildResult,
  type HeartbeatAnswer,
  type ParamValue,
  type RunnerEvent,
} from '@gibbon/contracts';
import { open } from '../crypto/aead';
import type { DataKeys } from '../crypto/data-keys';
import { nowIso } from '../ids';
import { type Build, type BuildWithJobs, buildParamsContext, type BuildsService } from '../builds';
import type { Store, TxRepositories } from '../store';
import type { ParamsService } from '../params';
import type { ReposService } from '../repos';
import { buildStatusEvent, jobStatusEvent, type BuildHub } from '../events';
import type { DispatchOptions } from './dispatch-options';
import { withLease } from './lease-fence';

/**
 * The runner's calls about a claimed build, each fenced by its lease (`withLease`): heartbeat,
 * timeline events, the result, and the parameters the build may see. Changes are announced on
 * the hub after their transaction committed.
 */
export class RunnerReportsService {
  constructor(
    private readonly store: Store,
    private readonly hub: BuildHub,
    private readonly builds: BuildsService,
    private readonly repos: ReposService,
    private readonly params: ParamsService,
    private readonly dataKeys: DataKeys,
    private readonly options: DispatchOptions,
  ) {}

  async heartbeat(buildId: string, leaseId: string): Promise<HeartbeatAnswer> {
    const leaseExpiresAt = new Date(Date.now() + this.options.leaseMs).toISOString();
    const { build, decided } = await withLease(
      this.store,
      buildId,
      leaseId,
      async (tx, b) => ({ build: b, decided: await tx.jobApprovals.decided(b.id) }),
      { extendTo: leaseExpiresAt },
    );
    const approvals = decided.map(({ comment, ...decision }) => ({
      ...decision,
      ...(comment !== null && { comment }),
    }));
    return {
      leaseExpiresAt,
      cancel: build.cancelRequested,
      ...(approvals.length > 0 && { approvals }),
    };
  }

  async recordEvent(buildId: string, leaseId: string, event: RunnerEvent): Promise<void> {
    const announce = await withLease(
      this.store,
      buildId,
      leaseId,
      (tx, build) => this.apply(tx, build, event),
      { afterResult: 'unprocessable' },
    );
    announce();
  }

  /** Sets the final status; the same result again is 200, a different one 409. */
  async result(buildId: string, leaseId: string, result: BuildResult): Promise<BuildWithJobs> {
    const repeated = await this.repeatedResult(buildId, leaseId, result);
    if (repeated) return repeated;
    const finished = await withLease(this.store, buildId, leaseId, async (tx, build) => {
      const at = nowIso();
      await tx.jobs.endOpenJobs(
        build.id,
        result.status === 'canceled' ? 'canceled' : 'skipped',
        at,
      );
      await tx.builds.transition(build.id, ['running'], result.status, {
        finishedAt: at,
        message: result.message ?? null,
      });
      await tx.leases.end(leaseId);
      return { ...build, status: result.status, finishedAt: at };
    });
    this.hub.publish(buildStatusEvent(finished));
    this.hub.buildFinished(finished);
    return this.builds.getById(buildId);
  }

  /** Trigger parameters win over parameter sets; an untrusted build sees none at all. */
  async paramsOf(buildId: string, leaseId: string): Promise<ParamValue[]> {
    const build = await withLease(this.store, buildId, leaseId, (_tx, b) => Promise.resolve(b));
    if (!build.trusted) return [];
    const repo = await this.repos.get(build.org, build.repo);
    const values = await this.params.resolveParams(repo);
    for (const { name, value } of await this.triggerParams(build)) values[name] = value;
    return Object.entries(values).map(([name, value]) => ({ name, value }));
  }

  private async triggerParams(build: Build): Promise<ParamValue[]> {
    if (build.paramsSealed === null) return [];
    const key = await this.dataKeys.keyOf(build.org);
    const json = open(key, build.paramsSealed, buildParamsContext(build.org, build.repoId));
    return JSON.parse(json.toString('utf8')) as ParamValue[];
  }

  private async repeatedResult(
    buildId: string,
    leaseId: string,
    result: BuildResult,
  ): Promise<BuildWithJobs | undefined> {
    const lease = await this.store.leases.find(leaseId);
    if (lease?.build_id !== buildId || lease.state !== 'ended') return undefined;
    const build = await this.builds.getById(buildId);
    if (build.status === result.status) return build;
    throw new ConflictError(`Build #${build.number} already finished as ${build.status}.`);
  }

  /** Stores one event; returns what to announce once the transaction committed. */
  private async apply(tx: TxRepositories, build: Build, event: RunnerEvent): Promise<() => void> {
    const { jobs } = tx;
    if (event.type === 'build.started') {
      await tx.builds.recordCheckout(build.id, event.git, event.at);
      const started = { ...build, git: { ...build.git, ...event.git } };
      return () => this.hub.publish(buildStatusEvent(started));
    }
    if (event.type === 'build.ended') return () => undefined;
    if (event.type === 'job.pending') {
      await jobs.declare(build.id, event.jobId, event.kind, event.dependsOn);
    } else {
      if (!(await jobs.find(build.id, event.jobId))) {
        throw new UnprocessableError(`Job "${event.jobId}" was never declared with job.pending.`);
      }
      await jobs.update(build.id, event.jobId, jobChangesOf(event));
      if (event.type === 'job.waiting')
        await tx.jobApprovals.request(build.id, event.jobId, event.at);
    }
    const job = await jobs.find(build.id, event.jobId);
    return () => job && this.hub.publish(jobStatusEvent(build, job));
  }
}

type JobEvent = Exclude<RunnerEvent, { type: 'build.started' | 'build.ended' | 'job.pending' }>;

function jobChangesOf(event: JobEvent) {
  switch (event.type) {
    case 'job.queued':
      return { status: 'queued' as const };
    case 'job.waiting':
      return { status: 'waiting' as const };
    case 'job.started':
      return { status: 'running' as const, startedAt: event.at };
    case 'job.ended':
      return {
        status: event.status,
        exitCode: event.exitCode ?? null,
        finishedAt: event.at,
        message: event.message ?? null,
        ...(event.outputs && Object.keys(event.outputs).length > 0
          ? { outputs: event.outputs }
          : {}),
      };
  }
}

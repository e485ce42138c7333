import { ConflictError, NotAllowedError, NotFoundError } from '@gibbon/contracts';
import type { Principal } from '../auth';
import { jobStatusEvent, type BuildHub } from '../events';
import { nowIso } from '../ids';
import type { Store } from '../store';
import { isFinished, type BuildWithJobs } from './build';
import type { BuildsService } from './builds.service';
import { buildObjectId, type AuditService } from '../audit';

export type ApprovalVerdict = 'approved' | 'rejected';

/**
 * A person's decision on a job marked `approval: true`. The decision is stored with the build
 * (who, when, why) and reaches the build's runner through its next heartbeat; the runner then
 * starts the job or skips it. A decision is made once: a second one is a conflict.
 */
export class JobApprovalsService {
  constructor(
    private readonly store: Store,
    private readonly builds: BuildsService,
    private readonly hub: BuildHub,
    private readonly audit: AuditService,
  ) {}

  async decide(
    org: string,
    repoName: string,
    number: number,
    jobId: string,
    verdict: ApprovalVerdict,
    principal: Principal,
    comment: string | undefined,
  ): Promise<BuildWithJobs> {
    const build = await this.builds.get(org, repoName, number);
    const job = build.jobs.find((candidate) => candidate.id === jobId);
    if (!job) throw new NotFoundError(`Build #${number} has no job "${jobId}".`);
    if (isFinished(build)) {
      throw new ConflictError(`Build #${number} already finished (${build.status}).`);
    }
    const approval = job.approval;
    if (approval && approval.decision !== 'pending') {
      throw new ConflictError(
        `Job "${jobId}" was already ${approval.decision} by ${approval.by ?? 'someone'} at ${approval.at ?? 'an earlier time'}.`,
      );
    }
    if (!approval || job.status !== 'waiting') {
      throw new ConflictError(
        `Job "${jobId}" is not waiting for approval (it is ${job.status}); only a job marked approval: true waits, once its dependencies succeeded.`,
      );
    }
    const decided = await this.store.jobApprovals.decide(build.id, jobId, {
      decision: verdict,
      by: await this.nameOf(principal),
      at: nowIso(),
      comment: comment ?? null,
    });
    if (!decided) throw new ConflictError(`Job "${jobId}" was decided by someone else just now.`);
    await this.audit.record(principal, {
      action: verdict === 'approved' ? 'job.approved' : 'job.rejected',
      org,
      object: { type: 'job', id: `${buildObjectId(org, repoName, number)}/${jobId}` },
      ...(comment === undefined ? {} : { detail: { comment } }),
    });
    this.hub.publish(jobStatusEvent(build, job));
    return this.builds.get(org, repoName, number);
  }

  /** The name of the token that decided (a web session decides with its token's name). */
  private async nameOf(principal: Principal): Promise<string> {
    if (principal.kind !== 'admin' && principal.kind !== 'org') {
      throw new NotAllowedError(
        'Only an admin or org admin token (or its web session) can decide.',
      );
    }
    return (await this.store.apiTokens.nameOf(principal.tokenId)) ?? principal.tokenId;
  }
}

/**
 * The wait of a job marked `approval`, from the moment its dependencies succeeded: its `when`
 * first (a job that would be skipped asks no one), then `job.waiting` and the decision.
 */
import type { BuildContext } from '../context';
import type { Job } from '../jobs';
import { messageOf } from '../message-of';
import type { AttemptOutcome } from './attempt';
import { whenAllows } from './run-job';
import type { Approvals, ExecutorEvent } from './types';

export interface ApprovalDeps {
  readonly ctx: BuildContext;
  readonly approvals?: Approvals;
  readonly buildSignal: AbortSignal;
  readonly emit: (event: ExecutorEvent) => void;
}

/** `undefined` when the job may run now; otherwise how it ends without running. */
export async function awaitApproval(
  job: Job,
  deps: ApprovalDeps,
): Promise<AttemptOutcome | undefined> {
  const notRun = await whenAllows(job, deps.ctx);
  if (notRun) return notRun;
  deps.emit({ type: 'job.waiting', jobId: job.id });
  if (!deps.approvals) {
    return {
      status: 'error',
      message: 'It waits for approval (approval: true), but nothing here can approve it.',
    };
  }
  try {
    const decided = await deps.approvals.wait(job.id, deps.buildSignal);
    if (decided.decision === 'approved') return undefined;
    const why = decided.comment ? `: ${decided.comment}` : '.';
    return { status: 'skipped', message: `Rejected by ${decided.by} at ${decided.at}${why}` };
  } catch (error) {
    if (deps.buildSignal.aborted) {
      return {
        status: 'canceled',
        message: 'The build was canceled while the job waited for approval.',
      };
    }
    return { status: 'error', message: `Its approval could not be had: ${messageOf(error)}` };
  }
}

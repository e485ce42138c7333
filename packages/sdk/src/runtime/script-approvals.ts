/**
 * Decisions on jobs marked `approval`, asked of the runner (`GET /v1/jobs/{jobId}/approval`,
 * long-polled), which learns them from public-api. The `job.waiting` event goes first: the
 * wait starts only once everything queued in the outbox was sent.
 */
import type { Outbox } from '../client/outbox';
import type { ScriptApi } from '../client/script-api-client';
import type { ApprovalOutcome, Approvals } from '../executor/types';

/** How long one request waits for a decision before answering `pending` (the API's default). */
const POLL_SECONDS = 20;

export class ScriptApiApprovals implements Approvals {
  constructor(
    private readonly api: Pick<ScriptApi, 'getApproval'>,
    private readonly outbox: Outbox,
  ) {}

  async wait(jobId: string, signal: AbortSignal): Promise<ApprovalOutcome> {
    await this.outbox.drain();
    for (;;) {
      signal.throwIfAborted();
      const answer = await this.api.getApproval(jobId, POLL_SECONDS, signal);
      if (answer.decision !== 'pending') {
        return {
          decision: answer.decision,
          by: answer.by ?? 'someone',
          at: answer.at ?? new Date().toISOString(),
          ...(answer.comment === undefined ? {} : { comment: answer.comment }),
        };
      }
    }
  }
}

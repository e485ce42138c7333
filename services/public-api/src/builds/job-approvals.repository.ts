import type { Db } from '../db/database';
import { fromStoredText, toStoredText } from '../db/nul-safe-text';

export interface DecidedApproval extends ApprovalDecision {
  readonly jobId: string;
}

export interface ApprovalDecision {
  readonly decision: 'approved' | 'rejected';
  readonly by: string;
  readonly at: string;
  readonly comment: string | null;
}

/** Who approved or rejected which job of a build, and the jobs still waiting for a decision. */
export class JobApprovalsRepository {
  constructor(private readonly db: Db) {}

  /** A job started waiting; a row already there (a decision made before a re-queue) stays. */
  async request(buildId: string, jobId: string, at: string): Promise<void> {
    await this.db
      .insertInto('job_approvals')
      .values({
        build_id: buildId,
        job_id: jobId,
        decision: 'pending',
        decided_by: null,
        decided_at: null,
        comment: null,
        requested_at: at,
      })
      .onConflict((oc) => oc.columns(['build_id', 'job_id']).doNothing())
      .execute();
  }

  /** Records a decision on a pending approval; `false` if there is none pending (decided first). */
  async decide(buildId: string, jobId: string, decision: ApprovalDecision): Promise<boolean> {
    const result = await this.db
      .updateTable('job_approvals')
      .set({
        decision: decision.decision,
        decided_by: decision.by,
        decided_at: decision.at,
        comment: toStoredText(decision.comment),
      })
      .where('build_id', '=', buildId)
      .where('job_id', '=', jobId)
      .where('decision', '=', 'pending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** The decisions made on a build's jobs, for its runner's heartbeat. */
  async decided(buildId: string): Promise<DecidedApproval[]> {
    const rows = await this.db
      .selectFrom('job_approvals')
      .selectAll()
      .where('build_id', '=', buildId)
      .where('decision', '!=', 'pending')
      .orderBy('decided_at')
      .execute();
    return rows.map((row) => ({
      jobId: row.job_id,
      decision: row.decision === 'approved' ? 'approved' : 'rejected',
      by: row.decided_by ?? '',
      at: row.decided_at ?? row.requested_at,
      comment: fromStoredText(row.comment),
    }));
  }
}

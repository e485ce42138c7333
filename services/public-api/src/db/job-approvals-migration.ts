import type { Kysely, Migration } from 'kysely';

/**
 * Approvals of jobs marked `approval: true`: one row per job from its first `job.waiting`
 * (`pending`) until a person approves or rejects it, with who and when. Apart from `jobs`,
 * whose rows a re-queue deletes, so a decision survives the loss of the build's runner.
 */
export const jobApprovalsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('job_approvals')
      .addColumn('build_id', 'text', (c) => c.notNull().references('builds.id').onDelete('cascade'))
      .addColumn('job_id', 'text', (c) => c.notNull())
      .addColumn('decision', 'text', (c) => c.notNull())
      .addColumn('decided_by', 'text')
      .addColumn('decided_at', 'text')
      .addColumn('comment', 'text')
      .addColumn('requested_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('job_approvals_pk', ['build_id', 'job_id'])
      .execute();
  },
};

import { JOB_STATUSES, isTerminalJobStatus, type JobKind, type JobStatus } from '@gibbon/contracts';
import type { Db } from '../db/database';
import type { Job } from './build';
import { toJob } from './build-rows';
import { toStoredText } from '../db/nul-safe-text';

const OPEN_JOB_STATUSES = JOB_STATUSES.filter((status) => !isTerminalJobStatus(status));

export interface JobChanges {
  readonly status?: JobStatus;
  readonly exitCode?: number | null;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly message?: string | null;
  readonly outputs?: Readonly<Record<string, string>>;
}

/** The jobs of builds, as their runner reports them. */
export class JobsRepository {
  constructor(private readonly db: Db) {}

  find(buildId: string, jobId: string): Promise<Job | undefined> {
    return this.db
      .selectFrom('jobs')
      .selectAll()
      .where('build_id', '=', buildId)
      .where('job_id', '=', jobId)
      .executeTakeFirst()
      .then((row) => row && toJob(row));
  }

  /** Declares a job (`job.pending`); declaring it again keeps what is stored. */
  async declare(buildId: string, jobId: string, kind: JobKind, dependsOn: readonly string[]) {
    const { count } = await this.db
      .selectFrom('jobs')
      .select((eb) => eb.fn.countAll<string | number>().as('count'))
      .where('build_id', '=', buildId)
      .executeTakeFirstOrThrow();
    await this.db
      .insertInto('jobs')
      .values({
        build_id: buildId,
        job_id: jobId,
        kind,
        status: 'pending',
        exit_code: null,
        started_at: null,
        finished_at: null,
        depends_on: JSON.stringify(dependsOn),
        message: null,
        position: Number(count),
        outputs: null,
      })
      .onConflict((oc) => oc.columns(['build_id', 'job_id']).doNothing())
      .execute();
  }

  async update(buildId: string, jobId: string, changes: JobChanges): Promise<void> {
    await this.db
      .updateTable('jobs')
      .set({
        status: changes.status,
        exit_code: changes.exitCode,
        started_at: changes.startedAt,
        finished_at: changes.finishedAt,
        message: changes.message === undefined ? undefined : toStoredText(changes.message),
        outputs:
          changes.outputs === undefined ? undefined : toStoredText(JSON.stringify(changes.outputs)),
      })
      .where('build_id', '=', buildId)
      .where('job_id', '=', jobId)
      .execute();
  }

  /** Ends every job not yet ended with `status` (a build's result, or a re-queue). */
  async endOpenJobs(buildId: string, status: JobStatus, at: string): Promise<void> {
    await this.db
      .updateTable('jobs')
      .set({ status, finished_at: at })
      .where('build_id', '=', buildId)
      .where('status', 'in', OPEN_JOB_STATUSES)
      .execute();
  }

  async deleteAll(buildId: string): Promise<void> {
    await this.db.deleteFrom('jobs').where('build_id', '=', buildId).execute();
    await this.db.deleteFrom('log_chunks').where('build_id', '=', buildId).execute();
  }
}

import type { Db } from '../db/database';
import type { LogChunksTable } from '../db/builds-schema';

export type LogChunkRecord = Readonly<LogChunksTable>;

/** The index of a job's stored log chunks (the bytes live in the BlobStore). */
export class LogChunksRepository {
  constructor(private readonly db: Db) {}

  /** Inserts the chunk unless that number is stored already; `true` when this call stored it. */
  async insert(chunk: LogChunkRecord): Promise<boolean> {
    const inserted = await this.db
      .insertInto('log_chunks')
      .values(chunk)
      .onConflict((oc) => oc.columns(['build_id', 'job_id', 'seq']).doNothing())
      .returning('seq')
      .executeTakeFirst();
    return inserted !== undefined;
  }

  /** The job's chunks from `fromSeq` on, in order; at most `limit` of them when given. */
  list(buildId: string, jobId: string, fromSeq = 0, limit?: number): Promise<LogChunkRecord[]> {
    const query = this.db
      .selectFrom('log_chunks')
      .selectAll()
      .where('build_id', '=', buildId)
      .where('job_id', '=', jobId)
      .where('seq', '>=', fromSeq)
      .orderBy('seq');
    return (limit === undefined ? query : query.limit(limit)).execute();
  }

  /** The logs (build and job) with a chunk stored at `at` or later; at most `limit` of them. */
  jobsStoredSince(at: string, limit: number): Promise<{ build_id: string; job_id: string }[]> {
    return this.db
      .selectFrom('log_chunks')
      .select(['build_id', 'job_id'])
      .distinct()
      .where('stored_at', '>=', at)
      .limit(limit)
      .execute();
  }

  /** The lowest chunk number not stored yet. */
  async nextSeq(buildId: string, jobId: string): Promise<number> {
    const seqs = await this.db
      .selectFrom('log_chunks')
      .select('seq')
      .where('build_id', '=', buildId)
      .where('job_id', '=', jobId)
      .orderBy('seq')
      .execute();
    let expected = 0;
    for (const { seq } of seqs) {
      if (Number(seq) !== expected) break;
      expected += 1;
    }
    return expected;
  }
}

import { logChunkKey, type BlobStore } from '@gibbon/storage';
import { InputError } from '@gibbon/contracts';
import type { BuildHub } from '../events';
import { withLease } from '../queue';
import type { Store } from '../store';

export const maxChunkBytes = 1024 * 1024;

/**
 * `PUT .../jobs/{jobId}/logs/{seq}`: one numbered chunk of a job's (already masked) log.
 * Idempotent by number: a chunk stored before is not written again. The bytes go to the
 * BlobStore (`logs/{org}/{repo}/{build}/{job}/{attempt}/{seq}.log`) first, then the index row is added
 * under the lease, so a fenced runner's chunk never becomes part of the log. The answer is the
 * lowest number still missing: lower than `seq + 1` means a gap the runner must fill.
 * No job row is needed: the build script's own log (`_script`) is stored the same way.
 */
export class LogChunksService {
  constructor(
    private readonly store: Store,
    private readonly blobs: BlobStore,
    private readonly hub: BuildHub,
  ) {}

  async put(
    buildId: string,
    leaseId: string,
    jobId: string,
    seq: number,
    text: string,
  ): Promise<number> {
    if (Buffer.byteLength(text, 'utf8') > maxChunkBytes) {
      throw new InputError('A log chunk is at most 1 MiB.');
    }
    const build = await withLease(this.store, buildId, leaseId, (_tx, b) => Promise.resolve(b));
    const stored = await this.store.logChunks.list(buildId, jobId, seq, 1);
    if (stored[0]?.seq !== seq) {
      // The attempt is the current claim: a re-queued build's second run writes apart.
      const key = logChunkKey({
        org: build.org,
        repo: build.repo,
        build: build.number,
        job: jobId,
        attempt: build.claims,
        seq,
      });
      await this.blobs.put(key, text, { contentType: 'text/plain; charset=utf-8' });
      const added = await withLease(this.store, buildId, leaseId, (tx) =>
        tx.logChunks.insert({
          build_id: buildId,
          job_id: jobId,
          seq,
          storage_key: key,
          size: Buffer.byteLength(text, 'utf8'),
          stored_at: new Date().toISOString(),
        }),
      );
      if (added) this.hub.logAppended(buildId, jobId);
    }
    return this.store.logChunks.nextSeq(buildId, jobId);
  }
}

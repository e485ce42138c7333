import { ConflictError } from '@gibbon/contracts';
import type { BackoffPolicy } from './backoff';
import { ChunkFile } from './chunk-file';
import { retryWhileUnavailable } from './retry';

/** Where a job's chunks go: `BuildApi.putLogChunk`, answering the lowest seq not yet stored. */
export type PutLogChunk = (
  jobId: string,
  seq: number,
  text: string,
  signal: AbortSignal,
) => Promise<number>;

export interface JobLogShipperOptions {
  jobId: string;
  file: string;
  put: PutLogChunk;
  chunkBytes: number;
  backoff: BackoffPolicy;
  /** Aborted when shipping must stop at once (lease lost, build given up). */
  stopSignal: AbortSignal;
  /** public-api answered 409: the lease is gone. */
  onLeaseLost(error: ConflictError): void;
  /** public-api refused a chunk for good (not a 409, not retryable); this job ships no more. */
  onRefused(error: unknown): void;
}

interface ChunkRange {
  start: number;
  end: number;
}

/** Rewinds in a row after which a server that keeps reporting a gap is given up on. */
const MAX_REWINDS = 5;

/**
 * Ships one job's log as numbered chunks. Lines go to memory, then (on `flush`, or once a
 * chunk's worth gathered) to the job's append-only file, and from the file to public-api one
 * chunk at a time. Chunk `n` is a fixed byte range of the file, chosen once and resent
 * unchanged on every retry, so a chunk stored twice is the same chunk and numbering has no
 * gaps. A failed send is retried with backoff until it is stored or shipping is stopped.
 */
export class JobLogShipper {
  private pending: string[] = [];
  private pendingBytes = 0;
  private readonly file: ChunkFile;
  private readonly chunks: ChunkRange[] = [];
  private seq = 0;
  private rewinds = 0;
  private refused = false;
  private spilling: Promise<void> = Promise.resolve();
  private shipping: Promise<void> | undefined;

  constructor(private readonly options: JobLogShipperOptions) {
    this.file = new ChunkFile(options.file);
  }

  write(text: string): void {
    const line = `${text}\n`;
    this.pending.push(line);
    this.pendingBytes += Buffer.byteLength(line);
    if (this.pendingBytes >= this.options.chunkBytes) this.flush();
  }

  /** Moves the lines in memory to the file and starts shipping them. */
  flush(): void {
    if (this.pending.length === 0) return;
    const text = this.pending.join('');
    this.pending = [];
    this.pendingBytes = 0;
    this.spilling = this.spilling
      .then(() => this.file.append(text))
      .then(
        () => this.kick(),
        (error: unknown) => this.refuse(error),
      );
  }

  /** Resolves once every line written so far is stored, or shipping stopped. */
  async drain(): Promise<void> {
    this.flush();
    await this.spilling;
    while (this.shipping) await this.shipping;
  }

  async close(): Promise<void> {
    await this.file.close();
  }

  private kick(): void {
    if (this.shipping || this.stopped() || !this.hasUnshipped()) return;
    this.shipping = this.shipAll()
      .catch((error: unknown) => {
        if (!this.options.stopSignal.aborted) this.refuse(error);
      })
      .finally(() => {
        this.shipping = undefined;
        this.kick();
      });
  }

  private stopped(): boolean {
    return this.refused || this.options.stopSignal.aborted;
  }

  private hasUnshipped(): boolean {
    return this.seq < this.chunks.length || (this.chunks.at(-1)?.end ?? 0) < this.file.size;
  }

  private async shipAll(): Promise<void> {
    while (!this.stopped() && this.hasUnshipped()) {
      const chunk = await this.chunkAt(this.seq);
      const text = await this.file.read(chunk.start, chunk.end);
      const nextSeq = await this.send(this.seq, text);
      this.advance(nextSeq);
    }
  }

  private async chunkAt(seq: number): Promise<ChunkRange> {
    const known = this.chunks[seq];
    if (known) return known;
    const start = this.chunks.at(-1)?.end ?? 0;
    const chunk = { start, end: await this.file.chunkEnd(start, this.options.chunkBytes) };
    this.chunks.push(chunk);
    return chunk;
  }

  /** public-api's `nextSeq` below ours means it lacks an earlier chunk: send from there again. */
  private advance(nextSeq: number): void {
    if (nextSeq > this.seq) {
      this.seq += 1;
      this.rewinds = 0;
      return;
    }
    this.rewinds += 1;
    if (this.rewinds > MAX_REWINDS) {
      throw new Error(
        `public-api keeps reporting chunk ${nextSeq} of ${this.options.jobId} missing`,
      );
    }
    this.seq = Math.max(0, nextSeq);
  }

  private async send(seq: number, text: string): Promise<number> {
    const { put, jobId, stopSignal, backoff } = this.options;
    try {
      return await retryWhileUnavailable((signal) => put(jobId, seq, text, signal), {
        backoff,
        signal: stopSignal,
      });
    } catch (error) {
      if (error instanceof ConflictError) this.options.onLeaseLost(error);
      throw error;
    }
  }

  private refuse(error: unknown): void {
    if (this.refused || error instanceof ConflictError) return;
    this.refused = true;
    this.options.onRefused(error);
  }
}

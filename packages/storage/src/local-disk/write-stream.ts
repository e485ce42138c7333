import type { Readable } from 'node:stream';

/** The part of a `FileHandle` a streamed write uses; a `FileHandle` is one. */
export interface WritableFile {
  writev(buffers: readonly Uint8Array[]): Promise<{ bytesWritten: number }>;
  datasync(): Promise<void>;
  sync(): Promise<void>;
}

const MiB = 1024 * 1024;

/**
 * Chunks that arrive while a write is in flight are gathered into one `writev` of up to this
 * many bytes (and `BATCH_CHUNKS` buffers, Linux's IOV_MAX): a tar.gz stream yields 16 KiB
 * chunks, and one thread-pool round trip per chunk costs more than the copy.
 */
const BATCH_BYTES = MiB;
const BATCH_CHUNKS = 1024;

/**
 * A durable write starts an fdatasync in the background each time this many bytes were
 * written since the last one began, so the disk takes earlier bytes while later ones are still
 * being copied, and the final fsync has little left to do. Smaller steps measured slower: each
 * flush has a fixed cost (a journal commit and a cache flush of the device).
 */
export const FLUSH_EVERY_BYTES = 64 * MiB;

/**
 * Writes `source` to `file` at its current position, at most one write in flight, then, if
 * `durable`, fsyncs it. Holds at most two batches (about 2 MiB) besides what the source
 * buffers, however long the stream. Rejects with the source's or the disk's first error, after
 * every write and flush it started has settled.
 */
export async function writeStream(
  file: WritableFile,
  source: Readable,
  { durable }: { durable: boolean },
): Promise<void> {
  const flush = durable ? new BackgroundFlush(file) : undefined;
  let batch: Uint8Array[] = [];
  let batchBytes = 0;
  let writing: Promise<void> | undefined;
  const startWrite = async (): Promise<void> => {
    await writing;
    const chunks = batch;
    const bytes = batchBytes;
    batch = [];
    batchBytes = 0;
    writing = writeAll(file, chunks).then(() => flush?.wrote(bytes));
    // Awaited by the next startWrite or at the end; until then a failure is not unhandled.
    writing.catch(ignore);
  };
  try {
    for await (const chunk of source) {
      const bytes = toBytes(chunk);
      batch.push(bytes);
      batchBytes += bytes.byteLength;
      const full = batchBytes >= BATCH_BYTES || batch.length >= BATCH_CHUNKS;
      if (writing && !full) continue;
      await startWrite();
      // Reading on while a full batch is written would hold one more for no measured gain.
      if (full) await writing;
    }
    if (batch.length > 0) await startWrite();
    await writing;
    await flush?.finish();
  } finally {
    await writing?.catch(ignore);
    await flush?.settled();
  }
}

/** Writes every byte of `chunks`, continuing after a short write. */
async function writeAll(file: WritableFile, chunks: Uint8Array[]): Promise<void> {
  let rest = chunks;
  let remaining = totalBytes(rest);
  while (remaining > 0) {
    const { bytesWritten } = await file.writev(rest);
    if (bytesWritten <= 0) throw new Error('The disk accepted no bytes of a write.');
    remaining -= bytesWritten;
    rest = dropBytes(rest, bytesWritten);
  }
}

function totalBytes(chunks: readonly Uint8Array[]): number {
  return chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0);
}

/** `chunks` without their first `count` bytes (no copy: views on the same memory). */
function dropBytes(chunks: readonly Uint8Array[], count: number): Uint8Array[] {
  let skip = count;
  const rest: Uint8Array[] = [];
  for (const chunk of chunks) {
    if (skip >= chunk.byteLength) {
      skip -= chunk.byteLength;
      continue;
    }
    rest.push(skip > 0 ? chunk.subarray(skip) : chunk);
    skip = 0;
  }
  return rest;
}

/**
 * At most one fdatasync in flight; its failure is kept and rethrown by the next `wrote` or by
 * `finish` (a failed flush may not be reported again by a later fsync of the same file).
 */
class BackgroundFlush {
  private unflushedBytes = 0;
  private inFlight: Promise<void> | undefined;
  private failure: { error: unknown } | undefined;

  constructor(private readonly file: WritableFile) {}

  wrote(bytes: number): void {
    this.throwIfFailed();
    this.unflushedBytes += bytes;
    if (this.inFlight || this.unflushedBytes < FLUSH_EVERY_BYTES) return;
    this.unflushedBytes = 0;
    this.inFlight = this.file.datasync().then(
      () => {
        this.inFlight = undefined;
      },
      (error: unknown) => {
        this.failure ??= { error };
        this.inFlight = undefined;
      },
    );
  }

  /** Waits for the background flush, then fsyncs everything. */
  async finish(): Promise<void> {
    await this.settled();
    this.throwIfFailed();
    await this.file.sync();
  }

  /** Resolves once no flush is in flight; never rejects. */
  async settled(): Promise<void> {
    await this.inFlight;
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }
}

function toBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  throw new TypeError('A blob body stream must yield bytes or strings, not objects.');
}

function ignore(): void {}

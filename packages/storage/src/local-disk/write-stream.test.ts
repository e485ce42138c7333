import { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { patternBytes } from '../../test/streams';
import { FLUSH_EVERY_BYTES, writeStream } from './write-stream';
import type { WritableFile } from './write-stream';

/**
 * A file that records what reaches it, in order: each writev takes a turn of the event loop
 * (as a thread-pool write does) and accepts at most `maxWriteBytes`; `keepBytes: false` only
 * counts them, for bodies too large to keep.
 */
class RecordingFile implements WritableFile {
  readonly calls: string[] = [];
  readonly chunksPerWrite: number[] = [];
  private readonly kept: Buffer[] = [];
  bytes = 0;
  writesInFlight = 0;
  maxWritesInFlight = 0;

  constructor(
    private readonly options: {
      maxWriteBytes?: number;
      keepBytes?: boolean;
      failWrite?: Error;
      failDatasync?: Error;
    } = {},
  ) {}

  async writev(buffers: readonly Uint8Array[]): Promise<{ bytesWritten: number }> {
    this.calls.push('writev');
    this.chunksPerWrite.push(buffers.length);
    this.writesInFlight += 1;
    this.maxWritesInFlight = Math.max(this.maxWritesInFlight, this.writesInFlight);
    await nextTurn();
    this.writesInFlight -= 1;
    if (this.options.failWrite) throw this.options.failWrite;
    const accepted = Buffer.concat(buffers).subarray(0, this.options.maxWriteBytes);
    if (this.options.keepBytes !== false) this.kept.push(accepted);
    this.bytes += accepted.length;
    return { bytesWritten: accepted.length };
  }

  async datasync(): Promise<void> {
    this.calls.push('datasync');
    await nextTurn();
    if (this.options.failDatasync) throw this.options.failDatasync;
  }

  async sync(): Promise<void> {
    this.calls.push('sync');
    await nextTurn();
  }

  contents(): Buffer {
    return Buffer.concat(this.kept);
  }
}

function chunksOf(bytes: Buffer, size: number): Readable {
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += size) {
    chunks.push(bytes.subarray(offset, offset + size));
  }
  return Readable.from(chunks, { objectMode: false });
}

/** `count` chunks of `size` bytes, made as they are read (one buffer reused: not kept by the test). */
function manyChunks(count: number, size: number): Readable {
  const chunk = Buffer.alloc(size, 7);
  let made = 0;
  return new Readable({
    read() {
      made += 1;
      this.push(made > count ? null : chunk);
    },
  });
}

describe('writeStream', () => {
  it('gathers the chunks that arrive during a write into one writev, in order', async () => {
    const body = patternBytes(200 * 1024, 1);
    const file = new RecordingFile();
    await writeStream(file, chunksOf(body, 1024), { durable: false });

    expect(file.contents().equals(body)).toBe(true);
    expect(file.chunksPerWrite.length).toBeLessThan(20);
    expect(Math.max(...file.chunksPerWrite)).toBeGreaterThan(1);
    expect(file.maxWritesInFlight).toBe(1);
  });

  it('writes the rest after a short write', async () => {
    const body = patternBytes(10_000, 2);
    const file = new RecordingFile({ maxWriteBytes: 999 });
    await writeStream(file, chunksOf(body, 4096), { durable: false });
    expect(file.contents().equals(body)).toBe(true);
  });

  it('neither flushes nor fsyncs when not durable', async () => {
    const file = new RecordingFile({ keepBytes: false });
    await writeStream(file, manyChunks(100, 1024 * 1024), { durable: false });
    expect(file.calls.filter((call) => call !== 'writev')).toEqual([]);
  });

  it('flushes in the background while a long durable write goes on, and fsyncs last', async () => {
    const size = 2.5 * FLUSH_EVERY_BYTES;
    const file = new RecordingFile({ keepBytes: false });
    await writeStream(file, manyChunks(size / (1024 * 1024), 1024 * 1024), { durable: true });

    expect(file.bytes).toBe(size);
    expect(file.calls.filter((call) => call === 'datasync')).toHaveLength(2);
    // Writes go on after the first flush began, and the fsync comes after every write.
    expect(file.calls.indexOf('datasync')).toBeLessThan(file.calls.lastIndexOf('writev'));
    expect(file.calls.at(-1)).toBe('sync');
    expect(file.calls.filter((call) => call === 'sync')).toHaveLength(1);
  });

  it('fsyncs a short durable write once, with no background flush', async () => {
    const file = new RecordingFile();
    await writeStream(file, chunksOf(patternBytes(4096, 3), 1024), { durable: true });
    expect(file.calls.filter((call) => call !== 'writev')).toEqual(['sync']);
  });

  it("rejects with a background flush's failure and does not fsync after it", async () => {
    const failure = new Error('EIO: flush failed');
    const file = new RecordingFile({ keepBytes: false, failDatasync: failure });
    const source = manyChunks(2 * (FLUSH_EVERY_BYTES / (1024 * 1024)), 1024 * 1024);

    await expect(writeStream(file, source, { durable: true })).rejects.toBe(failure);
    expect(file.calls).not.toContain('sync');
    expect(source.destroyed).toBe(true);
  });

  it("rejects with a write's failure and stops reading the source", async () => {
    const failure = new Error('ENOSPC: no space left on device');
    const file = new RecordingFile({ failWrite: failure });
    const source = manyChunks(1000, 64 * 1024);

    await expect(writeStream(file, source, { durable: true })).rejects.toBe(failure);
    expect(file.calls).not.toContain('sync');
    expect(source.destroyed).toBe(true);
    expect(file.writesInFlight).toBe(0);
  });

  it("rejects with the source's error once the write in flight has settled", async () => {
    const failure = new Error('client went away');
    const source = new Readable({ read() {} });
    source.push(Buffer.alloc(1024));
    const file = new RecordingFile();
    const writing = writeStream(file, source, { durable: true });
    setImmediate(() => source.destroy(failure));

    await expect(writing).rejects.toBe(failure);
    expect(file.writesInFlight).toBe(0);
    expect(file.calls).not.toContain('sync');
  });
});

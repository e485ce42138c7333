import { randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';

const MiB = 1024 * 1024;

/** The size of the chunks a network or file stream typically delivers. */
const CHUNK = 64 * 1024;

/**
 * `size` bytes produced on demand in 64 KiB chunks: a random block stamped with the chunk's
 * index, so no two chunks are equal and nothing close to `size` is ever held in memory.
 */
export function generatedStream(size: number): Readable {
  const block = randomBytes(CHUNK);
  let produced = 0;
  return new Readable({
    read() {
      if (produced >= size) {
        this.push(null);
        return;
      }
      const length = Math.min(CHUNK, size - produced);
      const chunk = Buffer.allocUnsafe(length);
      block.copy(chunk, 0, 0, length);
      chunk.writeUInt32LE(produced / CHUNK, 0);
      produced += length;
      this.push(chunk);
    },
  });
}

/** Consumes a stream and counts its bytes. */
export function countingSink(): Writable & { bytes: number } {
  const sink = new Writable({
    highWaterMark: MiB,
    write(chunk: Buffer, _encoding, callback) {
      sink.bytes += chunk.length;
      callback();
    },
  }) as Writable & { bytes: number };
  sink.bytes = 0;
  return sink;
}

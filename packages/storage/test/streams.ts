import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';

/** Reads a whole stream into memory; for test-sized objects only. */
export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/** Deterministic bytes that differ per `seed`, so a mix of two payloads is detectable. */
export function patternBytes(size: number, seed: number): Buffer {
  const bytes = Buffer.alloc(size);
  let state = (seed * 2654435761) >>> 0 || 1;
  for (let index = 0; index < size; index += 1) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[index] = state & 0xff;
  }
  return bytes;
}

/** Streams `bytes` in chunks, yielding to the event loop between them so writers interleave. */
export function slowStream(bytes: Buffer, chunkSize = 64 * 1024): Readable {
  return Readable.from(
    (async function* () {
      for (let offset = 0; offset < bytes.length; offset += chunkSize) {
        await new Promise((resolve) => setImmediate(resolve));
        yield bytes.subarray(offset, offset + chunkSize);
      }
    })(),
    { objectMode: false },
  );
}

/** Sends `bytes`, then fails: a client that dies mid-upload. */
export function failingStream(bytes: Buffer, failure: Error): Readable {
  return Readable.from(
    (async function* () {
      yield* slowStreamChunks(bytes);
      throw failure;
    })(),
    { objectMode: false },
  );
}

async function* slowStreamChunks(bytes: Buffer): AsyncGenerator<Buffer> {
  for await (const chunk of slowStream(bytes)) yield chunk as Buffer;
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

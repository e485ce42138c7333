import { Readable } from 'node:stream';
import { InputError } from '@gibbon/contracts';
import type { BlobBody, ByteRange } from './blob-store';

/** A body as bytes already in memory, or as the stream to consume. */
export function bodySource(body: BlobBody): Buffer | Readable {
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof Readable) return body;
  throw new InputError('A blob body must be a Readable stream, a Uint8Array or a string.');
}

/** Refuses ranges that are not two ordered non-negative integers. */
export function validateRange(range: ByteRange | undefined): ByteRange | undefined {
  if (range === undefined) return undefined;
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || start < 0) {
    throw new InputError(`Range start ${String(start)} is not a non-negative integer.`);
  }
  if (end !== undefined && (!Number.isSafeInteger(end) || end < start)) {
    throw new InputError(`Range end ${String(end)} is not an integer at or after ${start}.`);
  }
  return range;
}

/** A stream with no bytes: what a range starting past the end of an object reads. */
export function emptyStream(): Readable {
  return Readable.from([]);
}

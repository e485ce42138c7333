import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import { InputError } from '@gibbon/contracts';

/** How much went into the decompressor, for the ratio check. */
export interface CompressedCount {
  bytes: number;
}

/** An expansion ratio past which, after `floorBytes`, decompressed output is refused. */
export interface RatioCap {
  compressed: CompressedCount;
  maxRatio: number;
  floorBytes: number;
}

/**
 * Passes bytes through until more than `maxBytes` have gone by, or (with a ratio) until they
 * outgrow what came in by more than `maxRatio` to one, then fails the stream.
 */
export class ByteCap extends Transform {
  private seen = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly what: string,
    private readonly ratio?: RatioCap,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.maxBytes) {
      callback(new InputError(`${this.what} expands to more than ${this.maxBytes} bytes.`));
      return;
    }
    const ratio = this.ratio;
    if (ratio && this.seen > ratio.floorBytes) {
      const factor = this.seen / Math.max(1, ratio.compressed.bytes);
      if (factor > ratio.maxRatio) {
        const message = `${this.what} expands more than ${ratio.maxRatio} times its compressed size (a zip bomb?); it was not extracted further.`;
        callback(new InputError(message));
        return;
      }
    }
    callback(null, chunk);
  }
}

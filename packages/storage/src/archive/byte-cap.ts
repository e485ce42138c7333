import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import { InputError } from '@gibbon/contracts';

/** Passes bytes through until more than `maxBytes` have gone by, then fails the stream. */
export class ByteCap extends Transform {
  private seen = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly what: string,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.maxBytes) {
      callback(new InputError(`${this.what} expands to more than ${this.maxBytes} bytes.`));
      return;
    }
    callback(null, chunk);
  }
}

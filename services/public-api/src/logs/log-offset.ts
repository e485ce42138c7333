import { UnavailableError } from '@gibbon/contracts';

/**
 * The bytes of a log answer still to be dropped before it starts (the `offset` a resuming
 * client asks for). One instance per answer, shared by everything that yields into it, so
 * the offset counts the bytes of the whole answer (notes, then chunks) exactly once.
 */
export class SkippedBytes {
  constructor(public remaining: number) {}

  /** True when a whole piece of `size` bytes lies before the offset: it is counted, not read. */
  skipsWhole(size: number): boolean {
    if (this.remaining < size) return false;
    this.remaining -= size;
    return true;
  }

  /** The part of `piece` past the offset (empty while the offset lies beyond it). */
  rest(piece: Buffer): Buffer {
    if (this.skipsWhole(piece.length)) return piece.subarray(piece.length);
    const start = this.remaining;
    this.remaining = 0;
    return start === 0 ? piece : piece.subarray(start);
  }

  /**
   * Yields `pieces` from the offset on. Stopping the generator stops the loop, which
   * destroys the source stream (for-await closes what it iterates).
   */
  async *from(pieces: AsyncIterable<Buffer>): AsyncGenerator<Buffer, void> {
    for await (const piece of pieces) {
      const rest = this.rest(piece);
      if (rest.length > 0) yield rest;
    }
  }
}

/**
 * A followed log cut short because public-api is stopping. The answer must not end like a
 * finished log (a client would take it for the job's end): the connection is cut instead,
 * and the client resumes from the bytes it received.
 */
export class FollowCutShortError extends UnavailableError {
  constructor() {
    super('public-api is stopping; follow the log again with the offset of the bytes received.');
  }
}

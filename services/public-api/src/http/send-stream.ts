import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Response } from 'express';

function isPrematureClose(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ERR_STREAM_PREMATURE_CLOSE';
}

/**
 * Sends `body` with backpressure (it is read only as fast as the client takes it) and destroys
 * it when the client hangs up. A hang-up is not an error of the request: there is no one left
 * to answer. A failure of `body` goes to the error middleware (an answer if nothing was sent
 * yet, otherwise a cut connection).
 */
export async function sendStream(res: Response, body: Readable): Promise<void> {
  try {
    await pipeline(body, res);
  } catch (error) {
    if (isPrematureClose(error) && !body.errored) return;
    throw error;
  }
}

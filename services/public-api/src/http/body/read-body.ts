import type { IncomingMessage } from 'node:http';
import { InputError, PayloadTooLargeError } from '@gibbon/contracts';
import { BodyTimeoutError } from './body-errors';

/** How much of a request body is accepted, and for how long it may take to arrive. */
export interface BodyLimit {
  /** A larger body is refused (413) as soon as it says so or passes it, never read to its end. */
  readonly maxBytes: number;
  /** The message of that 413, naming the limit. */
  readonly tooLargeMessage: string;
  /** Time from the start of reading to the body's last byte; then 408. */
  readonly deadlineMs: number;
}

/** As type-is decides it: a body is announced by a length (even 0) or a transfer encoding. */
export function hasBody(req: IncomingMessage): boolean {
  return (
    req.headers['transfer-encoding'] !== undefined ||
    !Number.isNaN(Number.parseInt(req.headers['content-length'] ?? '', 10))
  );
}

function timeoutMessage(deadlineMs: number): string {
  return (
    `The request body did not arrive within ${deadlineMs / 1000} s; send it without pauses ` +
    '(the server allows GIBBON_BODY_TIMEOUT_SECONDS for a body).'
  );
}

/**
 * Reads the whole body into one Buffer, or rejects without reading further: at once when
 * `Content-Length` exceeds the limit, at the first piece that passes it (chunked bodies), and
 * when the deadline passes. After a rejection the request stays paused; the error middleware
 * answers and ends the connection, reading at most a bounded rest (./linger.ts).
 */
export function readBody(req: IncomingMessage, limit: BodyLimit): Promise<Buffer> {
  if (Number(req.headers['content-length']) > limit.maxBytes) {
    return Promise.reject(new PayloadTooLargeError(limit.tooLargeMessage));
  }
  return new Promise((resolve, reject) => {
    const pieces: Buffer[] = [];
    let received = 0;
    const onData = (piece: Buffer) => {
      received += piece.length;
      if (received > limit.maxBytes) return stop(new PayloadTooLargeError(limit.tooLargeMessage));
      pieces.push(piece);
    };
    const onEnd = () => stop();
    const onError = (error: Error) =>
      stop(new InputError('The request body could not be read; send it again.', { cause: error }));
    const onClose = () =>
      stop(new InputError('The connection closed before the request body was complete.'));
    const timer = setTimeout(
      () => stop(new BodyTimeoutError(timeoutMessage(limit.deadlineMs))),
      limit.deadlineMs,
    );
    function stop(error?: Error): void {
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      if (!error) return resolve(Buffer.concat(pieces, received));
      req.pause();
      reject(error);
    }
    req.on('data', onData).once('end', onEnd).once('error', onError).once('close', onClose);
  });
}

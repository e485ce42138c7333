import type { IncomingMessage, ServerResponse } from 'node:http';

/** How much of a refused body is read and thrown away after the answer, at most. */
export const LINGER_MAX_BYTES = 8 * 1024 * 1024;
/** How long a connection is kept for that, at most. */
export const LINGER_MAX_MS = 5_000;

/**
 * Ends the connection of a request answered before its body arrived (too large, too slow, no
 * token) without cutting off the answer. Closing a socket whose received bytes are unread makes
 * the kernel send a reset, and a client still writing its body (fetch, curl) then sees only
 * EPIPE or ECONNRESET, never the 413 it was sent. So the answer goes with `Connection: close`
 * and a half-close (FIN) instead of Node's destroy, and the rest of the body is read and
 * discarded until the client closes too — for at most {@link LINGER_MAX_BYTES} and
 * {@link LINGER_MAX_MS}, after which the socket is destroyed: an endless or trickling body
 * still cannot hold the connection. (Apache's "lingering close" is the same idea.)
 */
export function lingerAfterAnswer(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('connection', 'close');
  const socket = req.socket;
  // Node's server ends a `Connection: close` answer with destroySoon(): end, then destroy once
  // written. Only the end is wanted; the destroy comes from the client's close or the bounds.
  socket.destroySoon = () => void socket.end();
  let discarded = 0;
  const cut = () => socket.destroy();
  const deadline = setTimeout(cut, LINGER_MAX_MS).unref();
  socket.once('close', () => clearTimeout(deadline));
  req.on('data', (piece: Buffer) => {
    discarded += piece.length;
    if (discarded > LINGER_MAX_BYTES) cut();
  });
  req.once('end', () => {
    // Nothing more can come: the client reads the answer and closes.
    if (socket.writableFinished) socket.destroy();
  });
  req.resume();
}

import { connect, type Socket } from 'node:net';
import { readFile } from 'node:fs/promises';

/** What a raw request saw: the status line's code (if any answer came) and what it had sent. */
export interface RawOutcome {
  /** The HTTP status of the answer, `undefined` when the server closed without one. */
  readonly status: number | undefined;
  /** Body bytes written before the answer (or the close) arrived. */
  readonly bytesSent: number;
  /** The connection was closed by the server (or reset) before the client ended it. */
  readonly closedByServer: boolean;
  readonly elapsedMs: number;
}

export interface RawRequest {
  readonly port: number;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  /**
   * Produces the body piece by piece; `write` resolves once the piece is on the socket (with
   * backpressure) and returns false when the exchange is over (answer or close).
   */
  readonly body: (write: (chunk: Buffer | string) => Promise<boolean>) => Promise<void>;
  /** Give up (and report no answer) after this long. */
  readonly timeoutMs: number;
}

/**
 * A POST written byte by byte on a loopback socket, for the attacks an HTTP client library
 * smooths away: a body larger than its Content-Length promises to be, a chunked stream of a
 * gigabyte, a slow trickle. It stops writing as soon as the server answers or hangs up.
 */
export function rawPost(request: RawRequest): Promise<RawOutcome> {
  const started = Date.now();
  const socket: Socket = connect({ host: '127.0.0.1', port: request.port });
  let answer = '';
  let over = false;
  let closedByServer = false;
  let bytesSent = 0;
  let ended = false;
  const finished = new Promise<void>((done) => {
    const stop = () => {
      over = true;
      done();
    };
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
      if (/^HTTP\/1\.[01] \d{3}/.test(answer)) stop();
    });
    socket.on('close', () => {
      if (!ended) closedByServer = true;
      stop();
    });
    socket.on('error', () => {
      if (!ended) closedByServer = true;
      stop();
    });
    setTimeout(stop, request.timeoutMs).unref();
  });
  const write = async (chunk: Buffer | string): Promise<boolean> => {
    if (over || socket.destroyed) return false;
    const flushed = socket.write(chunk);
    bytesSent += Buffer.byteLength(chunk);
    if (!flushed) {
      await Promise.race([new Promise((done) => socket.once('drain', done)), finished]);
    }
    // A turn of the event loop, so an answer that arrived is read before the next piece.
    await new Promise((done) => setImmediate(done));
    return !over;
  };
  const head = [
    `POST ${request.path} HTTP/1.1`,
    'Host: 127.0.0.1',
    ...Object.entries(request.headers).map(([name, value]) => `${name}: ${value}`),
    '',
    '',
  ].join('\r\n');
  return new Promise((done) => {
    socket.once('connect', () => {
      socket.write(head);
      void request
        .body(write)
        .catch(() => undefined)
        .then(() => finished)
        .then(() => {
          ended = true;
          socket.destroy();
          const match = /^HTTP\/1\.[01] (\d{3})/.exec(answer);
          done({
            status: match ? Number(match[1]) : undefined,
            bytesSent,
            closedByServer,
            elapsedMs: Date.now() - started,
          });
        });
    });
  });
}

/** Writes `total` bytes as HTTP/1.1 chunks of `chunkBytes`, stopping when the exchange ends. */
export async function writeChunked(
  write: (chunk: Buffer | string) => Promise<boolean>,
  total: number,
  chunkBytes = 64 * 1024,
): Promise<void> {
  const chunk = Buffer.concat([
    Buffer.from(`${chunkBytes.toString(16)}\r\n`),
    Buffer.alloc(chunkBytes, 0x61),
    Buffer.from('\r\n'),
  ]);
  for (let sent = 0; sent < total; sent += chunkBytes) {
    if (!(await write(chunk))) return;
  }
  await write('0\r\n\r\n');
}

/** The resident memory of a process (`VmRSS` of /proc/<pid>/status), in bytes. */
export async function residentBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (kib === undefined) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(kib) * 1024;
}

/** Samples a process's resident memory every 50 ms until `stop()`; `peak` is the highest seen. */
export function watchMemory(pid: number): { stop(): Promise<number> } {
  let peak = 0;
  let running = true;
  const sampling = (async () => {
    while (running) {
      peak = Math.max(peak, await residentBytes(pid).catch(() => 0));
      await new Promise((done) => setTimeout(done, 50));
    }
  })();
  return {
    async stop() {
      running = false;
      await sampling;
      return peak;
    },
  };
}

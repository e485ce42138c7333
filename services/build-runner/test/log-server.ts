import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type LogServerMode = 'ok' | 'unavailable' | 'conflict';

/**
 * A stand-in for public-api's log route, as it behaves: chunks are stored by seq (a second
 * copy of a stored chunk is ignored) and the answer is the lowest seq not yet stored.
 */
export class LogServer {
  mode: LogServerMode = 'ok';
  readonly chunks = new Map<string, Map<number, string>>();
  requests = 0;
  /** Chunks to forget once, as a server that lost them would (to test gap repair). */
  readonly forget = new Set<string>();
  private server: Server | undefined;

  /** Listens on `port` (0: a fresh one); call again after `stop()` to come back. */
  async listen(port = 0): Promise<number> {
    const server = createServer((request, response) => {
      this.requests += 1;
      const match = /^\/v1\/runner\/builds\/[^/]+\/jobs\/([^/]+)\/logs\/(\d+)$/.exec(
        request.url ?? '',
      );
      const parts: Buffer[] = [];
      request.on('data', (part: Buffer) => parts.push(part));
      request.on('end', () => {
        if (this.mode !== 'ok' || !match) {
          const status = this.mode === 'conflict' ? 409 : match ? 503 : 404;
          response.writeHead(status, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ error: { code: 'conflict', message: this.mode } }));
          return;
        }
        const job = decodeURIComponent(match[1] ?? '');
        const stored = this.chunks.get(job) ?? new Map<number, string>();
        this.chunks.set(job, stored);
        const seq = Number(match[2]);
        if (this.forget.delete(`${job}/${seq}`)) {
          // Answer as if stored, but drop it: the next answer's nextSeq shows the gap.
        } else if (!stored.has(seq)) {
          stored.set(seq, Buffer.concat(parts).toString('utf8'));
        }
        let nextSeq = 0;
        while (stored.has(nextSeq)) nextSeq += 1;
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ nextSeq }));
      });
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.server = server;
    return (server.address() as AddressInfo).port;
  }

  /** Stops listening: connections are refused until `listen` again. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }

  /** The job's stored log, chunks joined in seq order; throws on a gap. */
  textOf(job: string): string {
    const stored = this.chunks.get(job) ?? new Map<number, string>();
    const parts: string[] = [];
    for (let seq = 0; seq < stored.size; seq += 1) {
      const part = stored.get(seq);
      if (part === undefined) throw new Error(`chunk ${seq} of ${job} is missing`);
      parts.push(part);
    }
    return parts.join('');
  }
}

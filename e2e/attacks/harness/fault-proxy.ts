import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * What the proxy does to traffic, in the spirit of Toxiproxy's toxics (attack test 37 of e2e/attacks/README.md):
 * - `pass`: bytes go through as they come;
 * - `latency`: every chunk, both ways, is delivered `ms` later (order kept);
 * - `blackhole`: Toxiproxy's `timeout` with 0: connections stay open and every byte is
 *   swallowed, so a request neither fails nor gets an answer;
 * - `reset`: Toxiproxy's `reset_peer`: open connections are reset (RST) at once, new ones as
 *   soon as they are accepted.
 * `refuse()` is the fifth fault: nothing listens, as when the service is stopped.
 */
export type FaultMode =
  | { readonly kind: 'pass' }
  | { readonly kind: 'latency'; readonly ms: number }
  | { readonly kind: 'blackhole' }
  | { readonly kind: 'reset' };

export type Direction = 'upstream' | 'downstream';

/**
 * A protocol-aware fault: sees each chunk (`upstream` is client → target) of each connection
 * before the mode applies, and may swallow it. Connections are numbered from 1.
 */
export type Tap = (direction: Direction, chunk: Buffer, connection: number) => 'forward' | 'drop';

export interface ProxyCounters {
  /** Connections accepted so far. */
  readonly connections: number;
  /** Chunks swallowed by `blackhole` or the tap. */
  readonly dropped: number;
  /** Connections reset by `reset`. */
  readonly resets: number;
}

interface Pair {
  readonly number: number;
  readonly client: Socket;
  readonly target: Socket;
  /** Per direction: the delivery of the previous chunk, so latency keeps their order. */
  readonly queues: Record<Direction, Promise<void>>;
}

/**
 * A loopback TCP proxy the tests put between two parts (runner → public-api, public-api →
 * Postgres) to make network faults on demand; `set()` applies to open connections too.
 * Lifecycle: `FaultProxy.start()` → (`set()`, `refuse()`, `restore()`)* → `close()`, which
 * ends every connection and is safe to call twice. The port stays the same throughout.
 */
export class FaultProxy {
  tap: Tap | undefined;
  private server: Server | undefined;
  private listenPort = 0;
  private mode: FaultMode = { kind: 'pass' };
  private readonly pairs = new Set<Pair>();
  private counters = { connections: 0, dropped: 0, resets: 0 };

  private constructor(private readonly target: { host: string; port: number }) {}

  /** Listens on a free loopback port and forwards to `target`. */
  static async start(target: { host: string; port: number }): Promise<FaultProxy> {
    const proxy = new FaultProxy(target);
    await proxy.listen();
    return proxy;
  }

  get port(): number {
    return this.listenPort;
  }

  /** `http://127.0.0.1:<port>`: what a service is pointed at instead of the target. */
  get url(): string {
    return `http://127.0.0.1:${this.listenPort}`;
  }

  get stats(): ProxyCounters {
    return { ...this.counters };
  }

  /** Connections open now. */
  get openConnections(): number {
    return this.pairs.size;
  }

  set(mode: FaultMode): void {
    this.mode = mode;
    if (mode.kind === 'reset') for (const pair of this.pairs) this.reset(pair);
  }

  /** Stops listening and ends every connection: clients get ECONNREFUSED until `restore()`. */
  async refuse(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const pair of this.pairs) this.end(pair);
    if (server) await new Promise<void>((done) => server.close(() => done()));
  }

  /** Listens again on the same port. */
  async restore(): Promise<void> {
    if (!this.server) await this.listen();
  }

  close(): Promise<void> {
    return this.refuse();
  }

  private listen(): Promise<void> {
    const server = createServer((client) => this.accept(client));
    this.server = server;
    return new Promise((done, fail) => {
      server.once('error', fail);
      server.listen(this.listenPort, '127.0.0.1', () => {
        this.listenPort = (server.address() as { port: number }).port;
        done();
      });
    });
  }

  private accept(client: Socket): void {
    this.counters.connections += 1;
    client.on('error', () => undefined);
    if (this.mode.kind === 'reset') {
      this.counters.resets += 1;
      client.resetAndDestroy();
      return;
    }
    const target = createConnection(this.target);
    const pair: Pair = {
      number: this.counters.connections,
      client,
      target,
      queues: { upstream: Promise.resolve(), downstream: Promise.resolve() },
    };
    this.pairs.add(pair);
    for (const socket of [client, target]) {
      socket.setNoDelay(true);
      socket.on('error', () => this.end(pair));
      socket.on('close', () => this.end(pair));
    }
    client.on('data', (chunk: Buffer) => this.relay(pair, 'upstream', chunk));
    target.on('data', (chunk: Buffer) => this.relay(pair, 'downstream', chunk));
  }

  private relay(pair: Pair, direction: Direction, chunk: Buffer): void {
    if (this.tap?.(direction, chunk, pair.number) === 'drop' || this.mode.kind === 'blackhole') {
      this.counters.dropped += 1;
      return;
    }
    if (this.mode.kind === 'reset') return;
    const to = direction === 'upstream' ? pair.target : pair.client;
    const due = Date.now() + (this.mode.kind === 'latency' ? this.mode.ms : 0);
    pair.queues[direction] = pair.queues[direction].then(async () => {
      const wait = due - Date.now();
      if (wait > 0) await new Promise((done) => setTimeout(done, wait));
      if (!to.destroyed) to.write(chunk);
    });
  }

  private end(pair: Pair): void {
    this.pairs.delete(pair);
    pair.client.destroy();
    pair.target.destroy();
  }

  private reset(pair: Pair): void {
    this.counters.resets += 1;
    this.pairs.delete(pair);
    pair.client.resetAndDestroy();
    pair.target.resetAndDestroy();
  }
}

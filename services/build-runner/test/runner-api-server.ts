import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BuildResult, Claim, ParamValue, RunnerEvent } from '@gibbon/contracts';

interface BuildState {
  claim: Claim;
  events: RunnerEvent[];
  logs: Map<string, Map<number, string>>;
  result: BuildResult | undefined;
  cancel: boolean;
  leaseValid: boolean;
  params: ParamValue[];
  /** `performance.now()` at enqueue, claim, each event's arrival and the result. */
  times: { enqueued: number; claimed?: number; result?: number; events: number[] };
}

/**
 * The runner API of public-api, in memory, over real HTTP: a queue of claims, leases with
 * fencing (a taken-back lease answers 409), cancel through the heartbeat, log chunks stored
 * by seq, parameters, results. Enough to drive a real runner end to end in a test.
 */
export class RunnerApiServer {
  readonly runnerToken = 'runner-token-for-tests';
  readonly builds = new Map<string, BuildState>();
  private readonly queue: Claim[] = [];
  private wakeClaim: (() => void) | undefined;
  private server: Server | undefined;
  url = '';

  /** Listens on `port` (0: a fresh one). After `close()` it may start again on its old port. */
  async start(port = 0): Promise<void> {
    const server = createServer((request, response) => {
      void this.handle(request, response).catch((error: unknown) =>
        reply(response, 500, { error: String(error) }),
      );
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** Stops listening (connections are refused); the builds' state stays, as a database's would. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }

  /** Like a restart of public-api: down for `downMs`, then back on the same port. */
  async restart(downMs: number): Promise<void> {
    const port = Number(new URL(this.url).port);
    await this.close();
    await new Promise((resolve) => setTimeout(resolve, downMs));
    await this.start(port);
  }

  enqueue(claim: Claim, params: ParamValue[] = []): void {
    this.builds.set(claim.build.id, {
      claim,
      events: [],
      logs: new Map(),
      result: undefined,
      cancel: false,
      leaseValid: true,
      params,
      times: { enqueued: performance.now(), events: [] },
    });
    this.queue.push(claim);
    this.wakeClaim?.();
  }

  build(id: string): BuildState {
    const state = this.builds.get(id);
    if (!state) throw new Error(`no build ${id}`);
    return state;
  }

  /** A job's stored log, chunks in seq order. */
  logOf(buildId: string, jobId: string): string {
    const chunks = this.build(buildId).logs.get(jobId) ?? new Map<number, string>();
    return [...chunks.entries()]
      .sort(([a], [b]) => a - b)
      .map(([, text]) => text)
      .join('');
  }

  /** The long-poll: resolves when a build is enqueued or `waitSeconds` passed. */
  private waitForBuild(waitSeconds: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, waitSeconds * 1000);
      const previous = this.wakeClaim;
      this.wakeClaim = done;
      function done() {
        clearTimeout(timer);
        previous?.();
        resolve();
      }
    });
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    const url = new URL(request.url ?? '/', 'http://localhost');
    const auth = request.headers.authorization ?? '';
    if (url.pathname === '/v1/runner/claim') {
      if (auth !== `Bearer ${this.runnerToken}`)
        return reply(response, 401, errorBody('bad token'));
      if (this.queue.length === 0)
        await this.waitForBuild(Number(url.searchParams.get('wait') ?? 30));
      const claim = this.queue.shift();
      if (!claim) return reply(response, 204);
      this.build(claim.build.id).times.claimed = performance.now();
      return reply(response, 200, claim);
    }
    const match = /^\/v1\/runner\/builds\/([^/]+)\/(.+)$/.exec(url.pathname);
    const state = match ? this.builds.get(match[1] ?? '') : undefined;
    if (!match || !state) return reply(response, 404, errorBody('no such build'));
    if (auth !== `Bearer ${state.claim.buildToken}`)
      return reply(response, 401, errorBody('bad build token'));
    const fenced = !state.leaseValid || request.headers['x-gibbon-lease'] !== state.claim.lease.id;
    if (fenced) return reply(response, 409, errorBody('The lease is no longer yours.'));
    const rest = match[2] ?? '';
    if (rest === 'heartbeat') {
      return reply(response, 200, {
        leaseExpiresAt: new Date(Date.now() + 3000).toISOString(),
        cancel: state.cancel,
      });
    }
    if (rest === 'events') {
      state.events.push(JSON.parse(body) as RunnerEvent);
      state.times.events.push(performance.now());
      return reply(response, 204);
    }
    if (rest === 'params')
      return reply(response, 200, { values: state.claim.build.trusted ? state.params : [] });
    if (rest === 'result') {
      state.result = JSON.parse(body) as BuildResult;
      state.times.result = performance.now();
      state.leaseValid = false;
      return reply(response, 200, state.claim.build);
    }
    const log = /^jobs\/([^/]+)\/logs\/(\d+)$/.exec(rest);
    if (!log) return reply(response, 404, errorBody('no such route'));
    const jobId = decodeURIComponent(log[1] ?? '');
    const chunks = state.logs.get(jobId) ?? new Map<number, string>();
    state.logs.set(jobId, chunks);
    if (!chunks.has(Number(log[2]))) chunks.set(Number(log[2]), body);
    let nextSeq = 0;
    while (chunks.has(nextSeq)) nextSeq += 1;
    return reply(response, 200, { nextSeq });
  }
}

function errorBody(message: string) {
  return { error: { code: 'conflict', message } };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of request) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

function reply(response: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    response.writeHead(status).end();
    return;
  }
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

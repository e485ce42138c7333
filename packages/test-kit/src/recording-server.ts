import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { recordRequest, type RecordedRequest } from './recorded-request';
import { compileRoute, type RoutePattern } from './route-pattern';

export interface CannedResponse {
  readonly status: number;
  /** Sent as JSON unless it is a string. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface RouteContext {
  /** The `:name` segments of the route. */
  readonly params: Readonly<Record<string, string>>;
  /** 1 for the first request this route answers, 2 for the second, … */
  readonly count: number;
}

export type RouteHandler = (
  request: RecordedRequest,
  context: RouteContext,
) => CannedResponse | Promise<CannedResponse>;

export interface RecordingServerOptions {
  /** `"METHOD /path/:param"` → handler; the first matching route answers. */
  readonly routes?: Readonly<Record<string, RouteHandler>>;
  /** What unmatched requests get; `201 {}` like GitHub's "create" endpoints. */
  readonly defaultResponse?: CannedResponse;
}

export interface WaitOptions {
  readonly timeoutMs?: number;
  /** Count only the requests this accepts. */
  readonly filter?: (request: RecordedRequest) => boolean;
}

/** A stand-in for an HTTP API (GitHub's REST API) that records what it receives. */
export interface RecordingServer {
  /** `http://127.0.0.1:PORT`; use it as the API base URL. */
  readonly url: string;
  /** Every request so far, oldest first. */
  readonly requests: readonly RecordedRequest[];
  /** Adds a route after start; it takes precedence over earlier ones. */
  route(pattern: string, handler: RouteHandler): void;
  /** Resolves with the first `count` (matching) requests once they arrived; rejects on timeout. */
  waitForRequests(count: number, options?: WaitOptions): Promise<RecordedRequest[]>;
  /** Stops the server and ends open connections. Safe to call twice. */
  close(): Promise<void>;
}

interface Route {
  readonly pattern: RoutePattern;
  readonly handler: RouteHandler;
  answered: number;
}

/** Starts a recording server on an ephemeral loopback port. */
export async function startRecordingServer(
  options: RecordingServerOptions = {},
): Promise<RecordingServer> {
  const defaultResponse = options.defaultResponse ?? { status: 201, body: {} };
  const routes: Route[] = Object.entries(options.routes ?? {}).map(([source, handler]) => ({
    pattern: compileRoute(source),
    handler,
    answered: 0,
  }));
  const requests: RecordedRequest[] = [];
  const waiters = new Set<() => void>();

  async function answer(recorded: RecordedRequest): Promise<CannedResponse> {
    for (const route of routes) {
      const params = route.pattern.match(recorded.method, recorded.path);
      if (!params) continue;
      route.answered += 1;
      return route.handler(recorded, { params, count: route.answered });
    }
    return defaultResponse;
  }

  const server = createServer((request, response) => {
    void (async () => {
      const recorded = await recordRequest(request);
      requests.push(recorded);
      for (const wake of waiters) wake();
      const canned = await answer(recorded).catch((error: unknown): CannedResponse => ({
        status: 500,
        body: { message: `route handler failed: ${String(error)}` },
      }));
      const text =
        typeof canned.body === 'string' ? canned.body : JSON.stringify(canned.body ?? {});
      response.writeHead(canned.status, { 'content-type': 'application/json', ...canned.headers });
      response.end(text);
    })().catch(() => response.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  let closed = false;

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    route(pattern, handler) {
      routes.unshift({ pattern: compileRoute(pattern), handler, answered: 0 });
    },
    waitForRequests(count, { timeoutMs = 5_000, filter = () => true } = {}) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const matching = requests.filter(filter);
          if (matching.length < count) return;
          done();
          resolve(matching.slice(0, count));
        };
        const timer = setTimeout(() => {
          done();
          const seen = requests.map((r) => `${r.method} ${r.path}`).join(', ') || 'none';
          reject(
            new Error(`Expected ${count} request(s) within ${timeoutMs} ms; received: ${seen}`),
          );
        }, timeoutMs);
        const done = (): void => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A handler that fails the first `times` requests with `status`, then answers `then`. */
export function failFirst(
  times: number,
  then: CannedResponse = { status: 201, body: {} },
  status = 500,
): RouteHandler {
  return (_request, { count }) =>
    count <= times ? { status, body: { message: `failure ${count} of ${times}` } } : then;
}

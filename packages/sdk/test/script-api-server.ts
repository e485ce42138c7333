/**
 * A small real Script API stand-in for client tests: a `node:http` server on a Unix socket in a
 * fresh temp folder (or a loopback port), serving an OpenAPI document with the operations the
 * test chooses, and recording every request it gets.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REQUIRED_OPERATIONS, type Operation } from '../src/client/operations';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
  readonly contentType: string | undefined;
  readonly body: Buffer;
}

export type Handler = (req: RecordedRequest, res: ServerResponse, raw: IncomingMessage) => void;

export function openApiDocument(operations: readonly Operation[] = REQUIRED_OPERATIONS): unknown {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { method, path } of operations) {
    paths[path] = {
      ...paths[path],
      [method.toLowerCase()]: { responses: { '200': { description: 'ok' } } },
    };
  }
  return { openapi: '3.1.0', info: { title: 'Script API', version: '1' }, paths };
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

export class ScriptApiStandIn {
  readonly requests: RecordedRequest[] = [];
  private readonly handlers = new Map<string, Handler>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly folder: string | undefined,
  ) {}

  /** Starts on a Unix socket (`unix:`) or on an ephemeral loopback port (`http`). */
  static async start(
    kind: 'unix' | 'http' = 'unix',
    document: unknown = openApiDocument(),
  ): Promise<ScriptApiStandIn> {
    const server = createServer();
    const folder = kind === 'unix' ? await mkdtemp(join(tmpdir(), 'gibbon-sdk-')) : undefined;
    const socket = folder ? join(folder, 'api.sock') : undefined;
    await new Promise<void>((resolve) =>
      socket ? server.listen(socket, resolve) : server.listen(0, '127.0.0.1', resolve),
    );
    const url = socket
      ? `unix:${socket}`
      : `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const standIn = new ScriptApiStandIn(server, url, folder);
    standIn.on('GET /v1/openapi.json', (_req, res) => sendJson(res, 200, document));
    server.on('request', (req, res) => void standIn.handle(req, res));
    return standIn;
  }

  get env(): NodeJS.ProcessEnv {
    return { GIBBON_API_URL: this.url, GIBBON_API_TOKEN: 'test-token' };
  }

  /** Answers `"METHOD /path"` (exact path) with `handler`; unhandled requests get 404. */
  on(route: string, handler: Handler): this {
    this.handlers.set(route, handler);
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    if (this.folder) await rm(this.folder, { recursive: true, force: true });
  }

  private async handle(raw: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    const handler = this.handlers.get(`${raw.method} ${raw.url}`);
    const bodyDone = (async () => {
      for await (const chunk of raw) chunks.push(chunk as Buffer);
    })();
    await bodyDone;
    const recorded: RecordedRequest = {
      method: raw.method ?? '',
      path: raw.url ?? '',
      authorization: raw.headers.authorization,
      contentType: raw.headers['content-type'],
      body: Buffer.concat(chunks),
    };
    this.requests.push(recorded);
    if (!handler)
      return sendJson(res, 404, {
        error: { code: 'not_found', message: `no route ${recorded.method} ${recorded.path}` },
      });
    handler(recorded, res, raw);
  }
}

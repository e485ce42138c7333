/**
 * HTTP to the Script API over its Unix socket or a loopback port (`node:http`, no dependency).
 * Every request carries the build's token. Lifecycle: one transport per script process; it holds
 * no connection between requests, so there is nothing to close. A request whose `signal` aborts
 * is destroyed; for `POST /v1/jobs/{id}/run` the runner takes the closed request as the job's
 * cancel.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { ApiConfig } from './config';
import { errorOfAnswer, UnavailableError } from '../contracts';

export interface RequestOptions {
  readonly json?: unknown;
  /** A request body streamed as is (artifact upload). */
  readonly stream?: Readable;
  readonly contentType?: string;
  readonly signal?: AbortSignal;
}

async function readText(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export class ScriptApiTransport {
  constructor(private readonly config: ApiConfig) {}

  /** Sends one request; resolves with the response of any 2xx status, rejects with a domain error otherwise. */
  async request(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<IncomingMessage> {
    const response = await this.send(method, path, options);
    const status = response.statusCode ?? 0;
    if (status >= 200 && status < 300) return response;
    throw errorOfAnswer(`${method} ${path}`, status, await readText(response));
  }

  /** A JSON request and its JSON answer (`undefined` for 204). */
  async json<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const response = await this.request(method, path, {
      json: body,
      ...(signal ? { signal } : {}),
    });
    const text = await readText(response);
    if (text === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw new Error(`${method} ${path} answered a body that is not JSON: ${text.slice(0, 200)}`, {
        cause: error,
      });
    }
  }

  private requestError(
    method: string,
    path: string,
    error: Error,
    signal: AbortSignal | undefined,
  ): Error {
    if (signal?.aborted) return error;
    const where = describe(this.config);
    return new UnavailableError(
      `The Script API at ${where} is unreachable (${method} ${path}): ${error.message}`,
      { cause: error },
    );
  }

  private send(method: string, path: string, options: RequestOptions): Promise<IncomingMessage> {
    const { endpoint, token } = this.config;
    const payload =
      options.json === undefined ? undefined : Buffer.from(JSON.stringify(options.json));
    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`,
      accept: 'application/json',
    };
    if (payload) headers['content-type'] = 'application/json';
    if (options.stream) headers['content-type'] = options.contentType ?? 'application/octet-stream';
    const target =
      endpoint.kind === 'unix'
        ? { socketPath: endpoint.socketPath }
        : { host: endpoint.host, port: endpoint.port };
    return new Promise((resolve, reject) => {
      const req = httpRequest({
        ...target,
        method,
        path,
        headers,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      // A failing body (tar exiting early) is the real cause, not the connection it broke.
      let bodyError: Error | undefined;
      req.once('response', resolve);
      req.once('error', (error) =>
        reject(bodyError ?? this.requestError(method, path, error, options.signal)),
      );
      if (options.stream) {
        options.stream.once('error', (error) => {
          bodyError = error;
          req.destroy(error);
        });
        options.stream.pipe(req);
        return;
      }
      req.end(payload);
    });
  }
}

function describe({ endpoint }: ApiConfig): string {
  return endpoint.kind === 'unix'
    ? `unix:${endpoint.socketPath}`
    : `http://${endpoint.host}:${endpoint.port}`;
}

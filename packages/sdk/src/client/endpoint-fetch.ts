/**
 * A `fetch` to the Script API's endpoint, over its Unix socket or loopback port, on `node:http`
 * (global fetch can't reach a Unix socket without undici's Agent, which Node does not expose).
 * It is what the generated client sends with. A request whose signal aborts is destroyed; for
 * `POST /v1/jobs/{id}/run` the runner takes the closed request as the job's cancel. A request
 * body that fails (tar exiting early) rejects with its own error, not the connection it broke.
 * Lifecycle: no connection is kept between requests, so there is nothing to close.
 */
import { request as httpRequest } from 'node:http';
import { Readable } from 'node:stream';
import type { ApiEndpoint } from './config';

/** A base URL for the generated client: only its path matters on a Unix socket. */
export function baseUrlOf(endpoint: ApiEndpoint): string {
  return endpoint.kind === 'unix'
    ? 'http://script-api.sock'
    : `http://${endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host}:${endpoint.port}`;
}

export function describeEndpoint(endpoint: ApiEndpoint): string {
  return endpoint.kind === 'unix' ? `unix:${endpoint.socketPath}` : baseUrlOf(endpoint);
}

/** Statuses whose answer has no body (a Response refuses one). */
const bodiless = new Set([101, 204, 205, 304]);

export function endpointFetch(endpoint: ApiEndpoint): (request: Request) => Promise<Response> {
  const target =
    endpoint.kind === 'unix'
      ? { socketPath: endpoint.socketPath }
      : { host: endpoint.host, port: endpoint.port };
  return (request) =>
    new Promise((resolve, reject) => {
      const url = new URL(request.url);
      const req = httpRequest({
        ...target,
        method: request.method,
        path: `${url.pathname}${url.search}`,
        headers: Object.fromEntries(request.headers),
        signal: request.signal,
      });
      let bodyError: Error | undefined;
      req.once('error', (error) => reject(bodyError ?? error));
      req.once('response', (response) => {
        const status = response.statusCode ?? 0;
        const headers = new Headers();
        for (const [name, value] of Object.entries(response.headers)) {
          if (value !== undefined)
            headers.set(name, Array.isArray(value) ? value.join(', ') : value);
        }
        const body = bodiless.has(status)
          ? null
          : (Readable.toWeb(response) as unknown as ReadableStream<Uint8Array>);
        if (body === null) response.resume();
        resolve(new Response(body, { status, headers }));
      });
      if (request.body === null) {
        req.end();
        return;
      }
      const source = Readable.fromWeb(request.body);
      source.once('error', (error) => {
        bodyError = error;
        req.destroy(error);
      });
      source.pipe(req);
    });
}

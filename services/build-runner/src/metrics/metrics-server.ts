import { timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { MetricsConfig } from './metrics-config';

export interface MetricsServer {
  readonly url: string;
  /** Stops listening and ends open connections; safe to call twice. */
  close(): Promise<void>;
}

function sameToken(header: string | undefined, token: string): boolean {
  const sent = Buffer.from(/^Bearer (\S+)$/i.exec(header?.trim() ?? '')?.[1] ?? '');
  const expected = Buffer.from(token);
  return sent.length === expected.length && timingSafeEqual(sent, expected);
}

function metricsHandler(registry: Registry, token: string): Server {
  return createServer((request, response) => {
    const reply = (status: number, message: string) =>
      response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(message);
    const path = new URL(request.url ?? '/', 'http://runner').pathname;
    if (request.method !== 'GET' || path !== '/metrics') {
      reply(404, 'Only GET /metrics is served here.\n');
    } else if (!sameToken(request.headers.authorization, token)) {
      reply(
        401,
        'Send the metrics token (GIBBON_METRICS_TOKEN) as "Authorization: Bearer <token>".\n',
      );
    } else
      void registry.metrics().then(
        (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
        () => reply(500, 'The metrics could not be collected.\n'),
      );
  });
}

/**
 * The runner's only HTTP server: `GET /metrics` of `registry` on `config.host:port`
 * (loopback unless told otherwise), for the token of `config` only.
 */
export async function startMetricsServer(
  registry: Registry,
  config: MetricsConfig,
): Promise<MetricsServer> {
  const server = metricsHandler(registry, config.token);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`,
    close() {
      closing ??= new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

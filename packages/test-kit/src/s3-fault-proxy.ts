import { createServer, request } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What the proxy does with a request instead of passing it on: an S3 error answer (`503
 * SlowDown`, `500 InternalError`), no answer at all (`hang`: the body is read, the connection
 * stays open, nothing comes back, as from an S3 that stopped responding), or a TCP reset.
 */
export type S3Fault =
  | { readonly kind: 'error'; readonly status: number; readonly code: string }
  | { readonly kind: 'hang' }
  | { readonly kind: 'reset' };

export const slowDown: S3Fault = { kind: 'error', status: 503, code: 'SlowDown' };
export const internalError: S3Fault = { kind: 'error', status: 500, code: 'InternalError' };

/** One request as it reached the proxy, and what the proxy did with it. */
export interface S3ProxiedRequest {
  readonly method: string;
  /** Path and query as sent (path-style: `/bucket/key?uploadId=…`). */
  readonly url: string;
  readonly outcome: 'passed' | S3Fault['kind'];
}

/** Picks the fault for a request (`undefined`: pass it on). */
export type S3FaultRule = (request: { method: string; url: string }) => S3Fault | undefined;

/**
 * A loopback HTTP proxy in front of a real S3-protocol server (s3rver) that records every
 * request and fails the ones a rule picks, the way an overloaded or unreachable S3 does.
 * Requests are forwarded byte for byte (Host header included, so SigV4 signatures stay valid).
 * `failNext` queues a number of error answers for one method; `rule` decides about every
 * other request and may be swapped at any time. `close()` ends hung requests; safe to call twice.
 */
export interface S3FaultProxy {
  readonly endpoint: string;
  readonly requests: S3ProxiedRequest[];
  rule: S3FaultRule | undefined;
  /** Answers the next `count` requests with `method` with `status` and S3 error `code`. */
  failNext(count: number, method: string, status: number, code: string): void;
  close(): Promise<void>;
}

interface PendingFault {
  remaining: number;
  method: string;
  fault: S3Fault;
}

/** Whether a request belongs to a multipart upload (create, part, complete or abort). */
export function isMultipartRequest(url: string): boolean {
  return /[?&](uploads|uploadId)(=|&|$)/.test(url);
}

export async function startS3FaultProxy(upstream: string): Promise<S3FaultProxy> {
  const target = new URL(upstream);
  const requests: S3ProxiedRequest[] = [];
  const queued: PendingFault[] = [];
  const hung = new Set<ServerResponse>();
  let closed = false;

  const faultOf = (method: string, url: string): S3Fault | undefined => {
    const next = queued.find((each) => each.method === method && each.remaining > 0);
    if (!next) return proxy.rule?.({ method, url });
    next.remaining -= 1;
    return next.fault;
  };

  const answerWith = (incoming: IncomingMessage, answer: ServerResponse, fault: S3Fault) => {
    if (fault.kind === 'reset') {
      incoming.socket.resetAndDestroy();
      return;
    }
    incoming.resume();
    if (fault.kind === 'hang') {
      hung.add(answer);
      answer.on('close', () => hung.delete(answer));
      return;
    }
    incoming.on('end', () => {
      answer.writeHead(fault.status, { 'content-type': 'application/xml' });
      answer.end(
        `<?xml version="1.0"?><Error><Code>${fault.code}</Code><Message>injected</Message></Error>`,
      );
    });
  };

  const server = createServer((incoming, answer) => {
    const method = incoming.method ?? 'GET';
    const url = incoming.url ?? '/';
    const fault = faultOf(method, url);
    requests.push({ method, url, outcome: fault ? fault.kind : 'passed' });
    if (fault) return answerWith(incoming, answer, fault);
    const forwarded = request(
      { host: target.hostname, port: target.port, method, path: url, headers: incoming.headers },
      (reply) => {
        answer.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(answer);
      },
    );
    forwarded.on('error', () => answer.destroy());
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const proxy: S3FaultProxy = {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    rule: undefined,
    failNext(count, method, status, code) {
      queued.push({ remaining: count, method, fault: { kind: 'error', status, code } });
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const answer of hung) answer.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return proxy;
}

import { createServer, request } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
}

interface PendingFault {
  remaining: number;
  status: number;
  code: string;
  method: string;
}

/**
 * A loopback HTTP proxy in front of a real S3-protocol server (s3rver) that records every
 * request and can answer the next few requests of one method with an S3 error, the way an
 * overloaded S3 does. Requests are forwarded byte for byte (Host header included, so SigV4
 * signatures stay valid).
 */
export interface S3FaultProxy {
  readonly endpoint: string;
  readonly requests: RecordedRequest[];
  /** Answers the next `count` requests with `method` with `status` and S3 error `code`. */
  failNext(count: number, method: string, status: number, code: string): void;
  close(): Promise<void>;
}

export async function startS3FaultProxy(upstream: string): Promise<S3FaultProxy> {
  const target = new URL(upstream);
  const requests: RecordedRequest[] = [];
  const faults: PendingFault[] = [];

  const fail = (incoming: IncomingMessage, answer: ServerResponse, fault: PendingFault) => {
    fault.remaining -= 1;
    incoming.resume();
    incoming.on('end', () => {
      answer.writeHead(fault.status, { 'content-type': 'application/xml' });
      answer.end(
        `<?xml version="1.0"?><Error><Code>${fault.code}</Code><Message>injected</Message></Error>`,
      );
    });
  };

  const server = createServer((incoming, answer) => {
    const method = incoming.method ?? 'GET';
    requests.push({ method, url: incoming.url ?? '/' });
    const fault = faults.find((each) => each.method === method && each.remaining > 0);
    if (fault) return fail(incoming, answer, fault);
    const forwarded = request(
      {
        host: target.hostname,
        port: target.port,
        method,
        path: incoming.url,
        headers: incoming.headers,
      },
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

  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    failNext(count, method, status, code) {
      faults.push({ remaining: count, method, status, code });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

/** One request as the server received it. */
export interface RecordedRequest {
  readonly method: string;
  /** The path without the query string, e.g. `/repos/acme/app/statuses/abc`. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Header names are lower case, as Node gives them. */
  readonly headers: IncomingHttpHeaders;
  /** The body parsed as JSON; `undefined` when empty or not JSON (see `rawBody`). */
  readonly body: unknown;
  readonly rawBody: string;
  readonly receivedAt: Date;
}

/** Reads the whole body; a body that is not JSON is kept as `rawBody` only. */
export async function recordRequest(request: IncomingMessage): Promise<RecordedRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const rawBody = Buffer.concat(chunks).toString('utf8');
  const url = new URL(request.url ?? '/', 'http://localhost');
  return {
    method: request.method ?? 'GET',
    path: url.pathname,
    query: url.searchParams,
    headers: request.headers,
    body: parseJson(rawBody),
    rawBody,
    receivedAt: new Date(),
  };
}

function parseJson(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

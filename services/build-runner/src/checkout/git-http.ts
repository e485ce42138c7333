import type { GitHttpRequest, GitHttpResponse, HttpClient } from 'isomorphic-git';

async function collect(
  body: AsyncIterableIterator<Uint8Array> | undefined,
): Promise<Buffer | undefined> {
  if (!body) return undefined;
  const parts: Uint8Array[] = [];
  for await (const part of body) parts.push(part);
  return Buffer.concat(parts);
}

async function* chunksOf(
  stream: ReadableStream<Uint8Array> | null,
): AsyncIterableIterator<Uint8Array> {
  if (!stream) return;
  for await (const chunk of stream) yield chunk;
}

/**
 * isomorphic-git's HTTP transport over Node's fetch, bound to the build's AbortSignal so a
 * cancel stops a clone mid-transfer (isomorphic-git itself takes no signal). fetch drops the
 * Authorization header on a redirect to another origin, so credentials never follow one.
 */
export function abortableGitHttp(signal: AbortSignal): HttpClient {
  return {
    async request(request: GitHttpRequest): Promise<GitHttpResponse> {
      const body = await collect(request.body);
      const answer = await fetch(request.url, {
        method: request.method ?? 'GET',
        headers: request.headers ?? {},
        signal,
        ...(body ? { body } : {}),
      });
      return {
        url: answer.url,
        method: request.method ?? 'GET',
        statusCode: answer.status,
        statusMessage: answer.statusText,
        headers: Object.fromEntries(answer.headers.entries()),
        body: chunksOf(answer.body),
      };
    },
  };
}

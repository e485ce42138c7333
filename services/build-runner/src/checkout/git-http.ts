import * as http from 'node:http';
import * as https from 'node:https';
import type { LookupFunction } from 'node:net';
import { effectivePort, type GitHostAllowlist } from '@gibbon/contracts';
import type { GitHttpRequest, GitHttpResponse, HttpClient } from 'isomorphic-git';
import {
  bareHostname,
  checkedFetchTarget,
  GitHostRefusedError,
  systemResolver,
  type HostResolver,
  type ResolvedAddress,
} from './fetch-target';

/** Redirects followed for one request, as git's own http.followRedirects default allows. */
const MAX_REDIRECTS = 5;

export interface OutgoingRequest {
  readonly url: URL;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer | undefined;
  /** Checked by `checkedFetchTarget`: the connection goes to these and nowhere else. */
  readonly addresses: readonly ResolvedAddress[];
  readonly signal: AbortSignal;
}

/** Sends one request and answers its response head; the body streams on. */
export type SendRequest = (request: OutgoingRequest) => Promise<http.IncomingMessage>;

export interface GitHttpOptions {
  /** The build's signal: a cancel stops a clone mid-transfer (isomorphic-git takes none). */
  readonly signal: AbortSignal;
  readonly gitHosts: GitHostAllowlist;
  readonly resolveHost?: HostResolver;
  /** How a checked request is sent (tests count the requests that would leave). */
  readonly send?: SendRequest;
}

/**
 * isomorphic-git's HTTP transport for clones of untrusted URLs. Before every connection (each
 * request, each redirect) the host is checked against the operator's allowlist and its name
 * resolved and checked (`checkedFetchTarget`); the socket then connects to exactly the checked
 * addresses, through a `lookup` that answers them, so a DNS answer that changes between the
 * check and the connection changes nothing. Redirects are followed only on the same host (and
 * from http to https of it), so neither the request nor its credentials leave that host.
 */
export function guardedGitHttp(options: GitHttpOptions): HttpClient {
  const resolveHost = options.resolveHost ?? systemResolver;
  const send = options.send ?? sendRequest;
  return {
    async request(request: GitHttpRequest): Promise<GitHttpResponse> {
      let url = new URL(request.url);
      let method = request.method ?? 'GET';
      let body = await collect(request.body);
      for (let redirects = 0; ; redirects += 1) {
        const addresses = await checkedFetchTarget(url, options.gitHosts, resolveHost);
        const headers = request.headers ?? {};
        const answer = await send({
          url,
          method,
          headers,
          body,
          addresses,
          signal: options.signal,
        });
        const status = answer.statusCode ?? 0;
        const location = answer.headers.location;
        if (status < 300 || status > 399 || status === 304 || location === undefined) {
          return gitResponse(url, method, answer);
        }
        answer.resume();
        if (redirects === MAX_REDIRECTS) {
          throw new GitHostRefusedError(
            `The git host ${url.host} redirected the clone more than ${MAX_REDIRECTS} times.`,
          );
        }
        const next = redirectTarget(url, location);
        // As browsers and fetch do: 303, and 301/302 of a POST, continue as a GET without body.
        if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) {
          method = 'GET';
          body = undefined;
        }
        url = next;
      }
    },
  };
}

/** Where a redirect points, if it stays on the host: the same origin, or its https upgrade. */
function redirectTarget(from: URL, location: string): URL {
  let next: URL;
  try {
    next = new URL(location, from);
  } catch (error) {
    throw new GitHostRefusedError(`The git host ${from.host} answered a malformed redirect.`, {
      cause: error,
    });
  }
  const upgrade =
    from.protocol === 'http:' && next.protocol === 'https:' && from.port === '' && next.port === '';
  if (next.hostname !== from.hostname || (next.origin !== from.origin && !upgrade)) {
    throw new GitHostRefusedError(
      `The git host ${from.host} redirected the clone to another host or port; a clone follows redirects only on the same host. Set the repository's url to where it moved.`,
    );
  }
  return next;
}

/** Node's http(s) client, connecting to the checked addresses only, one connection per request. */
export const sendRequest: SendRequest = (request) =>
  new Promise((resolve, reject) => {
    const { url } = request;
    const client = url.protocol === 'https:' ? https : http;
    const outgoing = client.request(
      {
        protocol: url.protocol,
        hostname: bareHostname(url),
        port: effectivePort(url),
        path: `${url.pathname}${url.search}`,
        method: request.method,
        headers: request.headers,
        signal: request.signal,
        agent: false,
        lookup: pinnedLookup(request.addresses),
      },
      resolve,
    );
    outgoing.once('error', reject);
    outgoing.end(request.body);
  });

/** A `lookup` that answers the checked addresses instead of asking DNS again. */
function pinnedLookup(addresses: readonly ResolvedAddress[]): LookupFunction {
  return (hostname, options, callback) => {
    const wanted = options.family === 4 || options.family === 6 ? options.family : undefined;
    const usable = addresses.filter((address) => wanted === undefined || address.family === wanted);
    const [first] = usable;
    if (!first) {
      const error: NodeJS.ErrnoException = new Error(
        `No checked IPv${wanted} address of ${hostname}.`,
      );
      error.code = 'ENOTFOUND';
      callback(error, '', 0);
      return;
    }
    if (options.all)
      callback(
        null,
        usable.map(({ address, family }) => ({ address, family })),
      );
    else callback(null, first.address, first.family);
  };
}

function gitResponse(url: URL, method: string, answer: http.IncomingMessage): GitHttpResponse {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(answer.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return {
    url: url.href,
    method,
    statusCode: answer.statusCode ?? 0,
    statusMessage: answer.statusMessage ?? '',
    headers,
    body: chunksOf(answer),
  };
}

async function collect(
  body: AsyncIterableIterator<Uint8Array> | undefined,
): Promise<Buffer | undefined> {
  if (!body) return undefined;
  const parts: Uint8Array[] = [];
  for await (const part of body) parts.push(part);
  return Buffer.concat(parts);
}

async function* chunksOf(stream: http.IncomingMessage): AsyncIterableIterator<Uint8Array> {
  for await (const chunk of stream) yield chunk as Buffer;
}

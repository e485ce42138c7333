import type { GithubCommitState } from './commit-state';

/** The body of `POST /repos/{owner}/{repo}/statuses/{sha}`. */
export interface CommitStatusBody {
  readonly state: GithubCommitState;
  readonly context: string;
  readonly target_url: string;
  readonly description: string;
}

export interface StatusRequest {
  readonly url: string;
  /** Sent as `Authorization: Bearer <token>`; a transport must never log it. */
  readonly token: string;
  readonly body: CommitStatusBody;
  /** Aborted when the sender stops; the transport stops waiting and rejects. */
  readonly signal: AbortSignal;
}

export interface StatusResponse {
  readonly status: number;
  /** `Retry-After` in seconds, when the answer carried a numeric one. */
  readonly retryAfterSeconds?: number;
  /** GitHub's `X-RateLimit-Remaining: 0`: a 403 that means "later", not "never". */
  readonly rateLimitExhausted: boolean;
}

/**
 * One HTTP attempt of a commit status. Resolves with any HTTP answer (the sender decides what
 * to retry) and rejects on network errors, timeouts and aborts. Safe to call concurrently.
 */
export interface StatusTransport {
  post(request: StatusRequest): Promise<StatusResponse>;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** The transport over Node's `fetch`, with a timeout per attempt. */
export function createFetchStatusTransport(options: { timeoutMs?: number } = {}): StatusTransport {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return {
    async post({ url, token, body, signal }) {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          accept: 'application/vnd.github+json',
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'user-agent': 'gibbon-ci',
          'x-github-api-version': '2022-11-28',
        },
        body: JSON.stringify(body),
        signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
      });
      // Read the answer to the end so the connection goes back to the pool.
      await response.arrayBuffer();
      return {
        status: response.status,
        retryAfterSeconds: secondsOf(response.headers.get('retry-after')),
        rateLimitExhausted: response.headers.get('x-ratelimit-remaining') === '0',
      };
    },
  };
}

function secondsOf(header: string | null): number | undefined {
  if (header === null || !/^\d+$/.test(header.trim())) return undefined;
  return Number(header.trim());
}

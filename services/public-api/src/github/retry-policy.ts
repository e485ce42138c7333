import type { StatusResponse } from './status-transport';

/** How long to wait between attempts at one status; how long to keep trying is `maxAge`. */
export interface RetryPolicy {
  /** The wait before the second attempt; each later wait doubles, up to `maxDelayMs`. */
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  initialDelayMs: 1_000,
  maxDelayMs: 60_000,
};

/** What to do after one attempt. */
export type AttemptVerdict =
  | { readonly kind: 'delivered' }
  | { readonly kind: 'retry'; readonly reason: string; readonly retryAfterMs?: number }
  | { readonly kind: 'give-up'; readonly reason: string };

/**
 * 2xx is done. 5xx, 429 and a rate-limited 403 may pass later, so they are retried. Any other
 * answer (401 bad token, 404 unknown repository or no access, 422 unknown commit) will not
 * change by asking again.
 */
export function verdictOf(response: StatusResponse): AttemptVerdict {
  const { status } = response;
  if (status >= 200 && status < 300) return { kind: 'delivered' };
  const retryAfterMs =
    response.retryAfterSeconds === undefined ? undefined : response.retryAfterSeconds * 1000;
  if (status >= 500 || status === 429 || (status === 403 && response.rateLimitExhausted)) {
    return { kind: 'retry', reason: `GitHub answered ${status}`, retryAfterMs };
  }
  return { kind: 'give-up', reason: `GitHub answered ${status}; ${hintFor(status)}` };
}

function hintFor(status: number): string {
  if (status === 401) return "the repository's githubToken is not valid";
  if (status === 403 || status === 404) {
    return 'check githubRepo and that the githubToken may write commit statuses';
  }
  if (status === 422) return 'GitHub does not know the commit';
  return 'not retried';
}

/**
 * The wait before attempt `attempt + 1`: exponential, capped, with jitter (between half and all
 * of it) so that many statuses failing together do not retry in lockstep. A `Retry-After` the
 * server sent is waited for at least, within the cap.
 */
export function delayBeforeRetry(
  policy: RetryPolicy,
  attempt: number,
  retryAfterMs = 0,
  random: () => number = Math.random,
): number {
  const exponential = policy.initialDelayMs * 2 ** (attempt - 1);
  const jittered = Math.min(policy.maxDelayMs, exponential) * (0.5 + random() / 2);
  return Math.min(policy.maxDelayMs, Math.max(jittered, retryAfterMs));
}

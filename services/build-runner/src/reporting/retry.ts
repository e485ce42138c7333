import { isRetryable } from '../runner-api/errors';
import { backoffDelay, sleep, type BackoffPolicy } from './backoff';

/**
 * Calls `call` until it succeeds, repeating it with backoff while public-api is unreachable
 * or failing (`UnavailableError`). Any other error, and the signal's abort, end the
 * attempts with that error. The call must be idempotent (every runner API call is, by seq,
 * by lease, or by result).
 */
export async function retryWhileUnavailable<T>(
  call: (signal: AbortSignal) => Promise<T>,
  { backoff, signal }: { backoff: BackoffPolicy; signal: AbortSignal },
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call(signal);
    } catch (error) {
      if (signal.aborted || !isRetryable(error)) throw error;
      await sleep(backoffDelay(backoff, attempt), signal);
    }
  }
}

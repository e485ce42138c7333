import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../logger';
import { delayBeforeRetry, verdictOf, type AttemptVerdict, type RetryPolicy } from './retry-policy';
import type { StatusRequest, StatusTransport } from './status-transport';

export interface DeliveryContext {
  readonly transport: StatusTransport;
  readonly policy: RetryPolicy;
  readonly logger: Logger;
  /** Aborted when the notifier closes: ends the request in flight and the wait between tries. */
  readonly signal: AbortSignal;
}

/**
 * Sends one status, retrying per `policy`, until it is delivered or given up (`settled`) or the
 * notifier closes (`interrupted`). Never throws. `logFields` must not hold the token.
 */
export async function deliverStatus(
  request: StatusRequest,
  logFields: Record<string, unknown>,
  { transport, policy, logger, signal }: DeliveryContext,
): Promise<'settled' | 'interrupted'> {
  for (let attempt = 1; !signal.aborted; attempt += 1) {
    const verdict = await attemptOnce(transport, request);
    if (verdict.kind === 'delivered') return 'settled';
    const fields = { ...logFields, attempt, reason: verdict.reason };
    if (verdict.kind === 'give-up') {
      logger.log('warn', 'Commit status not sent; GitHub refused it.', fields);
      return 'settled';
    }
    if (attempt >= policy.maxAttempts) {
      logger.log('warn', `Commit status not sent after ${attempt} attempts.`, fields);
      return 'settled';
    }
    logger.log('warn', 'Commit status attempt failed; retrying.', fields);
    const delayMs = delayBeforeRetry(policy, attempt, verdict.retryAfterMs);
    await sleep(delayMs, undefined, { signal }).catch(() => undefined);
  }
  return 'interrupted';
}

async function attemptOnce(
  transport: StatusTransport,
  request: StatusRequest,
): Promise<AttemptVerdict> {
  try {
    return verdictOf(await transport.post(request));
  } catch (error) {
    return { kind: 'retry', reason: `the request failed: ${describeNetworkError(error)}` };
  }
}

/**
 * The error's message and its cause's (`fetch failed: connect ECONNREFUSED 127.0.0.1:1`):
 * Node's network errors name the address, never the request's headers, so never the token.
 */
function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}

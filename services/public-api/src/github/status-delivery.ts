import { verdictOf, type AttemptVerdict } from './retry-policy';
import type { StatusRequest, StatusTransport } from './status-transport';

/**
 * One attempt at sending a status, judged: delivered, retry (network errors, 5xx, 429,
 * rate-limited 403) or give up (any other answer). Never throws; the caller decides when to
 * try again (statuses/status-sender.ts keeps that in the database).
 */
export async function attemptStatus(
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

import { UnavailableError } from '@gibbon/contracts';

/**
 * Whether repeating the call later may succeed: public-api could not be reached, or answered
 * 5xx or 429 (`UnavailableError`, from the one answer-to-error mapping `errorOfAnswer`). Any
 * other answer is a domain error: `ConflictError` means the lease is no longer ours.
 */
export function isRetryable(error: unknown): boolean {
  return error instanceof UnavailableError;
}

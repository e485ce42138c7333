import { InputError } from '@gibbon/contracts';
import { interpretDelivery } from './deliveries';
import type { DeliveryOutcome } from './delivery-outcome';
import { verifyGithubSignature } from './signature';

/** A delivery as it came over HTTP: the exact body bytes and GitHub's headers. */
export interface RawDelivery {
  readonly rawBody: Buffer;
  /** `X-GitHub-Event`. */
  readonly event: string | undefined;
  /** `X-GitHub-Delivery`. */
  readonly deliveryId: string | undefined;
  /** `X-Hub-Signature-256`. */
  readonly signature: string | undefined;
}

export interface ReadDelivery {
  readonly deliveryId: string;
  readonly event: string;
  readonly outcome: DeliveryOutcome;
}

/**
 * The webhook route's pipeline in the order spec section 5 requires: the signature first, on
 * the raw bytes, before a single header or byte of the body is trusted; then the JSON; then what
 * the delivery asks for.
 *
 * @throws AuthenticationError (401) for a missing, SHA-1-only, malformed or wrong signature.
 * @throws InputError (400) for missing headers, a body that is not JSON, or a payload that
 *   lacks what a build needs.
 */
export function readGithubDelivery(raw: RawDelivery, secret: string | Buffer): ReadDelivery {
  verifyGithubSignature(raw.rawBody, raw.signature, secret);
  if (raw.event === undefined) throw new InputError('The X-GitHub-Event header is missing.');
  if (raw.deliveryId === undefined) {
    throw new InputError('The X-GitHub-Delivery header is missing.');
  }
  const payload = parseJson(raw.rawBody);
  const outcome = interpretDelivery({ event: raw.event, deliveryId: raw.deliveryId, payload });
  return { deliveryId: raw.deliveryId, event: raw.event, outcome };
}

function parseJson(rawBody: Buffer): unknown {
  try {
    return JSON.parse(rawBody.toString('utf8')) as unknown;
  } catch (error) {
    throw new InputError('The delivery body is not valid JSON.', { cause: error });
  }
}

import { InputError } from '@gibbon/contracts';
import type { DeliveryOutcome } from './delivery-outcome';
import { interpretPullRequest } from './pull-request';
import { interpretPush } from './push';
import { quoted } from './quoted';

/** The same patterns as the `X-GitHub-Event` and `X-GitHub-Delivery` headers in the document. */
const EVENT_PATTERN = /^[a-z_]{1,64}$/;
const DELIVERY_ID_PATTERN = /^[A-Za-z0-9-]{1,100}$/;

export interface DeliveryInput {
  /** The `X-GitHub-Event` header. */
  readonly event: string;
  /** The `X-GitHub-Delivery` header; the route records it for idempotency. */
  readonly deliveryId: string;
  /** The body parsed as JSON, after its signature was verified. */
  readonly payload: unknown;
}

type Interpreter = (payload: unknown) => DeliveryOutcome;

const interpreters: Readonly<Record<string, Interpreter>> = {
  ping: () => ({ kind: 'ping' }),
  push: interpretPush,
  pull_request: interpretPullRequest,
};

/**
 * What a verified delivery asks for (spec section 5): `ping`; a build for a `push` of a branch or
 * tag, or a `pull_request` opened, synchronized or reopened; otherwise `ignored` with a reason a
 * user understands. Pure: it reads nothing and writes nothing, so the route can call it before
 * deciding what to store.
 *
 * @throws InputError when the headers are malformed, the payload is not a JSON object, or a
 *   built event's payload lacks what a build needs.
 */
export function interpretDelivery(input: DeliveryInput): DeliveryOutcome {
  if (!EVENT_PATTERN.test(input.event)) {
    throw new InputError('The X-GitHub-Event header must be a GitHub event name such as "push".');
  }
  if (!DELIVERY_ID_PATTERN.test(input.deliveryId)) {
    throw new InputError("The X-GitHub-Delivery header must be GitHub's delivery id (a UUID).");
  }
  if (!isJsonObject(input.payload)) {
    throw new InputError(`The ${input.event} payload must be a JSON object.`);
  }
  const interpret = Object.hasOwn(interpreters, input.event)
    ? interpreters[input.event]
    : undefined;
  if (!interpret) {
    return {
      kind: 'ignored',
      reason: `event ${quoted(input.event)} is not built; only push and pull_request start builds`,
    };
  }
  return interpret(input.payload);
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

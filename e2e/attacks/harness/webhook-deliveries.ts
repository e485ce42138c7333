import { randomBytes } from 'node:crypto';
import { githubDelivery } from '@gibbon/test-kit';
import { readAnswer, type Answer } from '../../build/harness';
import { githubRepo } from '../../build/harness/project';

export { pushPayload } from '../../build/harness/project';

/** The webhook the suite delivers to: its id and the secret shown once at creation. */
export interface WebhookTarget {
  readonly url: string;
  readonly secret: string;
}

export interface DeliveryOptions {
  readonly deliveryId?: string;
  /** Exact body bytes to send instead of the payload's JSON (tampering, pretty-printing). */
  readonly body?: string | Buffer;
  /** Headers to set or (with `undefined`) remove after signing. */
  readonly headers?: Readonly<Record<string, string | undefined>>;
  /** Sign with this secret instead of the webhook's. */
  readonly secret?: string;
}

/** A 40-hex commit id no repository has; builds that are only counted need no real commit. */
export function fakeSha(): string {
  return randomBytes(20).toString('hex');
}

/** A `pull_request` payload (same-repository head unless `fork`) for pull request `number`. */
export function pullRequestPayload(input: {
  action: string;
  number: number;
  headSha: string;
  headRef?: string;
  title?: string;
  fork?: boolean;
}): Record<string, unknown> {
  const base = { id: 4242, full_name: githubRepo };
  const head = input.fork ? { id: 777, full_name: 'stranger/web' } : base;
  return {
    action: input.action,
    number: input.number,
    pull_request: {
      number: input.number,
      title: input.title ?? `PR ${input.number}`,
      head: { ref: input.headRef ?? `feature-${input.number}`, sha: input.headSha, repo: head },
      base: { ref: 'main', sha: '0'.repeat(40), repo: base },
    },
    repository: base,
  };
}

/**
 * Signs `payload` as GitHub does (test-kit's `githubDelivery`), applies the options' changes
 * after signing, and POSTs it. Never throws for a status: the answer is what is asserted.
 */
export async function deliver(
  target: WebhookTarget,
  event: string,
  payload: unknown,
  options: DeliveryOptions = {},
): Promise<Answer> {
  const signed = githubDelivery({
    event,
    payload,
    secret: options.secret ?? target.secret,
    deliveryId: options.deliveryId,
  });
  const headers: Record<string, string> = { ...signed.headers };
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (value === undefined) delete headers[name];
    else headers[name] = value;
  }
  const response = await fetch(target.url, {
    method: 'POST',
    headers,
    body: options.body ?? signed.body,
  });
  return readAnswer(response);
}

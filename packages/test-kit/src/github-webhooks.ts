import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { WebhookDefinition } from '@octokit/webhooks-examples';
import type { WebhookEventMap, WebhookEventName } from '@octokit/webhooks-types';

export type { WebhookEventName };

/** `sha256=<hex>`: GitHub's `X-Hub-Signature-256`, an HMAC-SHA256 of the raw body. */
export function signGithubPayload(body: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** `sha1=<hex>`: the legacy `X-Hub-Signature` GitHub still sends alongside. */
export function signGithubPayloadSha1(body: string | Buffer, secret: string): string {
  return `sha1=${createHmac('sha1', secret).update(body).digest('hex')}`;
}

export interface GithubDeliveryInput {
  /** The `X-GitHub-Event` name, e.g. `push`. */
  readonly event: WebhookEventName | (string & {});
  /** Serialized as JSON; a string is sent as it is (to test exact bytes or bad JSON). */
  readonly payload: unknown;
  readonly secret: string;
  /** Defaults to a fresh UUID, as GitHub sends. */
  readonly deliveryId?: string;
  /** Which signature headers to send; GitHub sends both. `[]` sends an unsigned delivery. */
  readonly signatures?: readonly ('sha256' | 'sha1')[];
}

export interface GithubDelivery {
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** A webhook delivery as GitHub would POST it: `fetch(url, { method: 'POST', ...delivery })`. */
export function githubDelivery(input: GithubDeliveryInput): GithubDelivery {
  const body = typeof input.payload === 'string' ? input.payload : JSON.stringify(input.payload);
  const signatures = input.signatures ?? ['sha256', 'sha1'];
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'GitHub-Hookshot/gibbon-test-kit',
    'x-github-event': input.event,
    'x-github-delivery': input.deliveryId ?? randomUUID(),
    'x-github-hook-installation-target-type': 'repository',
  };
  if (signatures.includes('sha256')) {
    headers['x-hub-signature-256'] = signGithubPayload(body, input.secret);
  }
  if (signatures.includes('sha1'))
    headers['x-hub-signature'] = signGithubPayloadSha1(body, input.secret);
  return { headers, body };
}

/** One captured payload of `@octokit/webhooks-examples`. */
export interface WebhookExample<E extends WebhookEventName> {
  readonly event: E;
  /** The payload's `action` (e.g. `opened`), absent for events without actions (`push`). */
  readonly action?: string;
  /** What the event means, from GitHub's documentation. */
  readonly description: string;
  readonly payload: WebhookEventMap[E];
}

let definitions: WebhookDefinition[] | undefined;

/**
 * The captured github.com payloads for `event`, optionally only those with `action`.
 * The 4 MB file is read on first use, not when test-kit is imported.
 */
export function loadWebhookExamples<E extends WebhookEventName>(
  event: E,
  options: { action?: string } = {},
): WebhookExample<E>[] {
  definitions ??= JSON.parse(
    readFileSync(require.resolve('@octokit/webhooks-examples'), 'utf8'),
  ) as WebhookDefinition[];
  const definition = definitions.find((each) => each.name === event);
  if (!definition) throw new Error(`@octokit/webhooks-examples has no event named ${event}.`);
  return (definition.examples as WebhookEventMap[E][])
    .map((payload) => ({
      event,
      action: actionOf(payload),
      description: definition.description,
      payload,
    }))
    .filter((example) => options.action === undefined || example.action === options.action);
}

function actionOf(payload: unknown): string | undefined {
  const action = (payload as { action?: unknown }).action;
  return typeof action === 'string' ? action : undefined;
}

import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorBodyOf, httpStatusOf } from '@gibbon/contracts';
import { githubDelivery, loadWebhookExamples, type GithubDeliveryInput } from '@gibbon/test-kit';
import { readGithubDelivery } from './read-delivery';

/**
 * Deliveries over real loopback HTTP into a bare Node server that does what the webhook route
 * must: keep the raw bytes, call `readGithubDelivery`, map errors with the one status table.
 */
const secret = 'webhook-secret-0123456789abcdef0123';
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    void answer(request).then(({ status, body }) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/github/hook-1`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function answer(request: IncomingMessage): Promise<{ status: number; body: unknown }> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const header = (name: string): string | undefined => request.headers[name] as string | undefined;
  try {
    const delivery = readGithubDelivery(
      {
        rawBody: Buffer.concat(chunks),
        event: header('x-github-event'),
        deliveryId: header('x-github-delivery'),
        signature: header('x-hub-signature-256'),
      },
      secret,
    );
    // As public-api answers: 202 for what builds nothing (a closed pull request cancels).
    const { kind } = delivery.outcome;
    return { status: kind === 'ignored' || kind === 'closed' ? 202 : 200, body: delivery };
  } catch (error) {
    return { status: httpStatusOf(error), body: errorBodyOf(error) };
  }
}

interface Answer {
  status: number;
  body: {
    deliveryId?: string;
    outcome?: { kind: string; trigger?: Record<string, unknown> };
    error?: { message: string };
  };
}

async function deliver(input: Partial<GithubDeliveryInput>, tamper = (body: string) => body) {
  const delivery = githubDelivery({ event: 'push', payload: {}, secret, ...input });
  const response = await fetch(url, {
    method: 'POST',
    headers: delivery.headers,
    body: tamper(delivery.body),
  });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

describe('readGithubDelivery over HTTP: every captured push and pull_request', () => {
  const builtActions = new Set(['opened', 'synchronize', 'reopened']);

  it.each(loadWebhookExamples('push').map((example, index) => [index, example]))(
    'push example %i',
    async (_index, { payload }) => {
      const { status, body } = await deliver({ event: 'push', payload, deliveryId: 'push-1' });
      expect(body.deliveryId).toBe('push-1');
      if (payload.deleted) {
        expect(status).toBe(202);
        expect(body.outcome?.kind).toBe('ignored');
        return;
      }
      expect(status).toBe(200);
      expect(body.outcome?.trigger).toMatchObject({ commit: payload.after, ref: payload.ref });
    },
  );

  it.each(loadWebhookExamples('pull_request').map((example, index) => [index, example]))(
    'pull_request example %i',
    async (_index, { action, payload }) => {
      const { status, body } = await deliver({ event: 'pull_request', payload });
      const built = builtActions.has(action ?? '');
      expect(status).toBe(built ? 200 : 202);
      if (action === 'closed') expect(body.outcome?.kind).toBe('closed');
      if (!built) return;
      expect(body.outcome?.trigger).toMatchObject({
        commit: payload.pull_request.head.sha,
        trusted: true,
      });
    },
  );

  it('answers a ping', async () => {
    const [ping] = loadWebhookExamples('ping');
    const { status, body } = await deliver({ event: 'ping', payload: ping!.payload });
    expect(status).toBe(200);
    expect(body.outcome).toEqual({ kind: 'ping' });
  });
});

describe('readGithubDelivery over HTTP: rejected deliveries', () => {
  const [push] = loadWebhookExamples('push');
  const payload = push!.payload;

  it.each([
    ['no signature', { signatures: [] }, /has no X-Hub-Signature-256/],
    ['a SHA-1 signature only', { signatures: ['sha1'] }, /has no X-Hub-Signature-256/],
    ['another secret', { secret: 'not-the-webhook-secret' }, /does not match/],
  ] as const)('answers 401 to a delivery with %s', async (_case, input, message) => {
    const { status, body } = await deliver({ payload, ...input });
    expect(status).toBe(401);
    expect(body.error?.message).toMatch(message);
  });

  it('answers 401 when one byte of the body changed after signing', async () => {
    const flipOne = (body: string): string => body.replace('"ref":"refs/', '"ref":"refz/');
    const { status, body } = await deliver({ payload }, flipOne);
    expect(status).toBe(401);
    expect(body.error?.message).toMatch(/does not match/);
  });

  it('answers 400 to a validly signed body that is not JSON', async () => {
    const { status, body } = await deliver({ payload: '{"ref": "refs/heads/main",' });
    expect(status).toBe(400);
    expect(body.error?.message).toBe('The delivery body is not valid JSON.');
  });

  it('checks the signature before the JSON: an unsigned non-JSON body is 401, not 400', async () => {
    const { status } = await deliver({ payload: 'not json', signatures: [] });
    expect(status).toBe(401);
  });

  it('answers 400 to a validly signed push that lacks its commit', async () => {
    const withoutAfter = Object.fromEntries(Object.entries(payload).filter(([k]) => k !== 'after'));
    const { status, body } = await deliver({ payload: withoutAfter });
    expect(status).toBe(400);
    expect(body.error?.message).toMatch(/after:/);
  });
});

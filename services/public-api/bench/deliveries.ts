/** Signed GitHub `push` deliveries driven by autocannon: shared by the build-side and workers benches. */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { loadWebhookExamples } from '@gibbon/test-kit';

export async function api<T>(
  url: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
) {
  const response = await fetch(url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

/** Builds are numbered 1, 2, 3 … per repository, so the newest number is their count. */
async function lastBuildNumber(url: string, token: string): Promise<number> {
  const path = '/v1/orgs/bench/repos/web/builds?limit=1';
  const page = await api<{ items: { number: number }[] }>(url, token, 'GET', path);
  return page.items[0]?.number ?? 0;
}

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export interface Webhook {
  readonly id: string;
  readonly secret: string;
}

/** Org `bench`, repository `web` and its GitHub webhook, made as the admin. */
export async function setUpWebhook(url: string, token: string): Promise<Webhook> {
  await api(url, token, 'POST', '/v1/orgs', { slug: 'bench' });
  await api(url, token, 'POST', '/v1/orgs/bench/repos', {
    name: 'web',
    url: 'https://git.example.test/bench/web.git',
  });
  return api<Webhook>(url, token, 'POST', '/v1/orgs/bench/repos/web/webhooks');
}

/**
 * `deliveries` signed `push` deliveries over `connections` connections, each a new delivery id
 * and commit; prints deliveries/s and latency, and throws unless each made exactly one build.
 */
export async function benchDeliveries(
  url: string,
  token: string,
  webhook: Webhook,
  load: { readonly connections: number; readonly deliveries: number },
  label: Record<string, unknown> = {},
) {
  const { connections, deliveries } = load;
  const [example] = loadWebhookExamples('push');
  const template = { ...example!.payload, deleted: false };
  let sent = 0;
  const before = await lastBuildNumber(url, token);
  const result = await autocannon({
    url: `${url}/webhooks/github/${webhook.id}`,
    connections,
    amount: deliveries,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          sent += 1;
          const body = JSON.stringify({ ...template, after: randomBytes(20).toString('hex') });
          const signature = createHmac('sha256', webhook.secret).update(body).digest('hex');
          return {
            ...request,
            body,
            headers: {
              'content-type': 'application/json',
              'x-github-event': 'push',
              'x-github-delivery': randomUUID(),
              'x-hub-signature-256': `sha256=${signature}`,
            },
          };
        },
      },
    ],
  });
  const builds = (await lastBuildNumber(url, token)) - before;
  const ok = result['2xx'];
  console.log(
    JSON.stringify({
      scenario: 'POST /webhooks/github/{id} (signed push, new commit each)',
      ...label,
      deliveriesPerSecond: Math.round(result.requests.average),
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      sent,
      answered2xx: ok,
      non2xx: result.non2xx,
      errors: result.errors,
      builds,
    }),
  );
  if (builds !== ok || ok !== sent) {
    throw new Error(
      `${sent} deliveries, ${ok} answered 2xx, ${builds} builds: not one build each.`,
    );
  }
}

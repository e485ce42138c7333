/**
 * `pnpm bench` (build side): public-api as its own process on loopback, SQLite in a temp folder.
 *  1. Signed GitHub `push` deliveries through `POST /webhooks/github/{id}` with autocannon, each a
 *     new delivery id and commit: deliveries/s and p99 of the answer (target ≥ 1,000/s, p99 <
 *     50 ms); then it checks that every delivery answered 200 made exactly one build.
 *  2. Claim latency: an idle runner long-polls `POST /v1/runner/claim`; a build is triggered;
 *     time from sending the trigger to the claim's answer (median, p99; target < 50 ms).
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { loadWebhookExamples } from '@gibbon/test-kit';
import { runnerCalls, type ClaimedBuild } from './runner-calls';
import { startService } from './service-process';

const deliveries = Number(process.env.BENCH_DELIVERIES ?? '10000');
const connections = Number(process.env.BENCH_CONNECTIONS ?? '32');
const claimRounds = Number(process.env.BENCH_CLAIMS ?? '200');

async function api<T>(url: string, token: string, method: string, path: string, body?: unknown) {
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

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function benchDeliveries(
  url: string,
  token: string,
  webhook: { id: string; secret: string },
) {
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

async function benchClaims(url: string, token: string) {
  const runner = await api<{ token: string }>(url, token, 'POST', '/v1/runners', { name: 'bench' });
  const latencies: number[] = [];
  for (let round = 0; round < claimRounds; round++) {
    const claimed = fetch(`${url}/v1/runner/claim?wait=30`, {
      method: 'POST',
      headers: { authorization: `Bearer ${runner.token}`, 'content-type': 'application/json' },
      body: '{}',
    }).then(async (response) => ({
      at: performance.now(),
      body: (await response.json()) as ClaimedBuild,
    }));
    // Let the claim find the queue empty and park.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const sentAt = performance.now();
    await api(url, token, 'POST', '/v1/orgs/bench/repos/web/builds', { branch: 'main' });
    const { at, body } = await claimed;
    latencies.push(at - sentAt);
    await runnerCalls(url, body)('POST', '/result', { status: 'success' });
  }
  latencies.sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      scenario: 'claim latency: trigger sent → waiting claim answered',
      rounds: claimRounds,
      medianMs: Number(percentile(latencies, 50).toFixed(2)),
      p99Ms: Number(percentile(latencies, 99).toFixed(2)),
      maxMs: Number((latencies[latencies.length - 1] ?? NaN).toFixed(2)),
    }),
  );
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'gibbon-bench-builds-'));
  const service = await startService(dataDir);
  try {
    const token = (await readFile(join(dataDir, 'admin-token'), 'utf8')).trim();
    await api(service.url, token, 'POST', '/v1/orgs', { slug: 'bench' });
    await api(service.url, token, 'POST', '/v1/orgs/bench/repos', {
      name: 'web',
      url: 'https://git.example.test/bench/web.git',
    });
    const webhook = await api<{ id: string; secret: string }>(
      service.url,
      token,
      'POST',
      '/v1/orgs/bench/repos/web/webhooks',
    );
    console.log(
      `public-api build-side bench: SQLite, ${connections} connections, ${deliveries} deliveries`,
    );
    // Claims first: the deliveries leave thousands of queued builds behind.
    await benchClaims(service.url, token);
    const cpuBefore = service.cpuMs();
    await benchDeliveries(service.url, token, webhook);
    console.log(
      JSON.stringify({
        serviceCpuMsPerDelivery: Number(((service.cpuMs() - cpuBefore) / deliveries).toFixed(3)),
      }),
    );
  } finally {
    await service.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

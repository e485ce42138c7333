/**
 * `pnpm bench` (build side): public-api as its own process on loopback, SQLite in a temp folder.
 *  1. Signed GitHub `push` deliveries through `POST /webhooks/github/{id}` with autocannon, each a
 *     new delivery id and commit: deliveries/s and p99 of the answer (target ≥ 1,000/s, p99 <
 *     50 ms); then it checks that every delivery answered 200 made exactly one build.
 *  2. Claim latency: an idle runner long-polls `POST /v1/runner/claim`; a build is triggered;
 *     time from sending the trigger to the claim's answer (median, p99; target < 50 ms).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, benchDeliveries, percentile, setUpWebhook } from './deliveries';
import { runnerCalls, type ClaimedBuild } from './runner-calls';
import { startService } from './service-process';

const deliveries = Number(process.env.BENCH_DELIVERIES ?? '10000');
const connections = Number(process.env.BENCH_CONNECTIONS ?? '32');
const claimRounds = Number(process.env.BENCH_CLAIMS ?? '200');

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
    const webhook = await setUpWebhook(service.url, token);
    console.log(
      `public-api build-side bench: SQLite, ${connections} connections, ${deliveries} deliveries`,
    );
    // Claims first: the deliveries leave thousands of queued builds behind.
    await benchClaims(service.url, token);
    const cpuBefore = service.cpuMs();
    await benchDeliveries(service.url, token, webhook, { connections, deliveries });
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

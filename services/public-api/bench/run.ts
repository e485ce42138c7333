/**
 * `pnpm bench`: the public-api as its own process on loopback (SQLite in a temp folder),
 * driven by autocannon. Reports requests/s and p99 latency for
 *   - GET  /v1/orgs/{org}/repos  (20 repositories; target ≥ 3,000 req/s on the 2-core CI machine)
 *   - POST /v1/orgs/{org}/params (a set of 3 encrypted values per request)
 * Each run is bounded: BENCH_SECONDS per scenario (default 10), then the service is stopped.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { startService, type Service } from './service-process';

const seconds = Number(process.env.BENCH_SECONDS ?? '10');
const connections = Number(process.env.BENCH_CONNECTIONS ?? '32');
/** BENCH_ONLY=GET (or POST) runs only the scenarios whose name contains it, e.g. to profile one. */
const only = process.env.BENCH_ONLY ?? '';

interface Scenario {
  readonly name: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: string;
}

async function call(
  url: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<void> {
  const response = await fetch(url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
}

async function run(service: Service, token: string, scenario: Scenario): Promise<void> {
  if (!scenario.name.includes(only)) return;
  const cpuBefore = service.cpuMs();
  const result = await autocannon({
    url: service.url + scenario.path,
    method: scenario.method,
    body: scenario.body,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    connections,
    duration: seconds,
  });
  const line = {
    scenario: scenario.name,
    requestsPerSecond: Math.round(result.requests.average),
    p99Ms: result.latency.p99,
    p50Ms: result.latency.p50,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    // The service's own CPU per request: a machine-load-independent view of its cost.
    serviceCpuMsPerRequest: Number(
      ((service.cpuMs() - cpuBefore) / result.requests.total).toFixed(3),
    ),
  };
  console.log(JSON.stringify(line));
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'gibbon-bench-'));
  const service = await startService(dataDir);
  try {
    const token = (await readFile(join(dataDir, 'admin-token'), 'utf8')).trim();
    await call(service.url, token, 'POST', '/v1/orgs', { slug: 'bench' });
    for (let i = 0; i < 20; i++) {
      await call(service.url, token, 'POST', '/v1/orgs/bench/repos', {
        name: `repo-${i}`,
        url: `https://git.example.test/bench/repo-${i}.git`,
        labels: [{ name: 'team', value: i % 2 === 0 ? 'web' : 'api' }],
      });
    }
    console.log(`public-api bench: SQLite, ${connections} connections, ${seconds} s per scenario`);
    await run(service, token, {
      name: 'GET /v1/orgs/{org}/repos',
      method: 'GET',
      path: '/v1/orgs/bench/repos',
    });
    const values = ['NPM_TOKEN', 'DEPLOY_KEY', 'SLACK_URL'].map((name) => ({
      name,
      value: 'x'.repeat(64),
    }));
    await run(service, token, {
      name: 'POST /v1/orgs/{org}/params',
      method: 'POST',
      path: '/v1/orgs/bench/params',
      body: JSON.stringify({ description: 'bench', values }),
    });
  } finally {
    await service.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

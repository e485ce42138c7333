/**
 * `pnpm bench` (events across processes): two public-api processes on one Postgres database
 * (`GIBBON_TEST_POSTGRES_URL`, a fresh database on it) and one data folder (master key, local
 * storage), as two processes of one installation. Targets from issue #17 (p99 < 100 ms each):
 *  1. Log latency: a log chunk posted to process A → its text read from a `?follow=true` on B.
 *  2. Claim latency: a claim waiting on B; a build triggered on A → B's claim answered.
 * Without Postgres on this machine it says so and measures nothing.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@gibbon/test-kit';
import { runnerCalls, type ClaimedBuild } from './runner-calls';
import { startService, type Service } from './service-process';

const rounds = Number(process.env.BENCH_CROSS_ROUNDS ?? '200');
/** `BENCH_CROSS_SAME=1`: both ends on process A, the one-process baseline. */
const sameProcess = process.env.BENCH_CROSS_SAME === '1';
const reader = sameProcess ? 'A' : 'B';

function client(url: string, token: string) {
  return async <T>(method: string, path: string, body?: unknown, type = 'application/json') => {
    const response = await fetch(url + path, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': type },
      body: body === undefined || typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    return (text === '' ? undefined : JSON.parse(text)) as T;
  };
}

function summary(scenario: string, latencies: number[]) {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  return JSON.stringify({
    scenario,
    rounds: sorted.length,
    p50Ms: Number(at(0.5)?.toFixed(2)),
    p99Ms: Number(at(0.99)?.toFixed(2)),
    maxMs: Number(sorted[sorted.length - 1]?.toFixed(2)),
  });
}

/** Reads a followed log as it arrives; `until(text)` resolves once `text` was read. */
function followReader(body: ReadableStream<Uint8Array>) {
  const decoder = new TextDecoder();
  let read = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  void (async () => {
    for await (const piece of body) {
      read += decoder.decode(piece, { stream: true });
      for (const waiter of waiters.filter((w) => read.includes(w.text))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  })();
  return (text: string) =>
    read.includes(text)
      ? Promise.resolve()
      : new Promise<void>((resolve) => waiters.push({ text, resolve }));
}

async function benchLogs(a: Service, b: Service, token: string, runnerToken: string) {
  const onA = client(a.url, token);
  await onA('POST', '/v1/orgs/bench/repos/web/builds', { branch: 'main' });
  const claim = await client(a.url, runnerToken)<ClaimedBuild>(
    'POST',
    '/v1/runner/claim?wait=5',
    {},
  );
  const asRunner = runnerCalls(a.url, claim);
  const at = new Date().toISOString();
  await asRunner('POST', '/events', {
    type: 'job.pending',
    jobId: 'bench',
    kind: 'container',
    dependsOn: [],
    at,
  });
  const follow = await fetch(
    `${b.url}/v1/orgs/bench/repos/web/builds/${claim.build.number}/jobs/bench/logs?follow=true`,
    { headers: { authorization: `Bearer ${token}` } },
  );
  const seen = followReader(follow.body!);
  const latencies: number[] = [];
  for (let seq = 0; seq < rounds; seq++) {
    const text = `line ${seq} of the cross-process bench\n`;
    const sentAt = performance.now();
    const answer = await asRunner('PUT', `/jobs/bench/logs/${seq}`, text, 'text/plain');
    if (!answer.ok) throw new Error(`chunk ${seq} answered ${answer.status}`);
    await seen(text);
    latencies.push(performance.now() - sentAt);
  }
  await asRunner('POST', '/result', { status: 'success' });
  await follow.body!.cancel().catch(() => undefined);
  console.log(
    summary(`log chunk PUT to process A → read from a follow on process ${reader}`, latencies),
  );
}

async function benchClaims(a: Service, b: Service, token: string, runnerToken: string) {
  const latencies: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const claimed = client(b.url, runnerToken)<ClaimedBuild>(
      'POST',
      '/v1/runner/claim?wait=30',
      {},
    ).then((body) => ({ body, at: performance.now() }));
    // Let the claim find the queue empty and park.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const sentAt = performance.now();
    await client(a.url, token)('POST', '/v1/orgs/bench/repos/web/builds', { branch: 'main' });
    const { body, at } = await claimed;
    latencies.push(at - sentAt);
    await runnerCalls(b.url, body)('POST', '/result', { status: 'success' });
  }
  console.log(
    summary(`trigger sent to process A → claim waiting on process ${reader} answered`, latencies),
  );
}

async function openDatabase(): Promise<TestDatabase | undefined> {
  try {
    return await createTestDatabase();
  } catch (error) {
    console.log(`cross-process bench skipped: no Postgres (${(error as Error).message})`);
    return undefined;
  }
}

async function main(): Promise<void> {
  const database = await openDatabase();
  if (!database) return;
  const dataDir = await mkdtemp(join(tmpdir(), 'gibbon-bench-cross-'));
  const env = {
    GIBBON_DATABASE_URL: database.url,
    GIBBON_MASTER_KEY: randomBytes(32).toString('base64'),
  };
  const services: Service[] = [];
  try {
    services.push(await startService(dataDir, env));
    services.push(await startService(dataDir, env));
    const [a, second] = services as [Service, Service];
    const b = sameProcess ? a : second;
    const token = (await readFile(join(dataDir, 'admin-token'), 'utf8')).trim();
    const onA = client(a.url, token);
    await onA('POST', '/v1/orgs', { slug: 'bench' });
    await onA('POST', '/v1/orgs/bench/repos', {
      name: 'web',
      url: 'https://git.example.test/bench/web.git',
    });
    const runner = await onA<{ token: string }>('POST', '/v1/runners', { name: 'bench' });
    const ends = sameProcess ? 'both ends on process A (baseline)' : 'A → B';
    console.log(`public-api cross-process bench: one Postgres, ${ends}, ${rounds} rounds`);
    await benchLogs(a, b, token, runner.token);
    await benchClaims(a, b, token, runner.token);
  } finally {
    for (const service of services) await service.stop();
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

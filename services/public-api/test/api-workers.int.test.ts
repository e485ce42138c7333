import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@gibbon/test-kit';
import { startApiProcess, type ApiProcess } from './api-process';
import { eventually } from './eventually';

/**
 * The public-api workers of primary `pid`: its children running main.ts (from /proc). tsx may
 * have a child of its own (esbuild's service), which is not one.
 */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (parent === pid && command.includes('main.ts')) children.push(Number(entry));
    } catch {
      // It ended while we looked.
    }
  }
  return children.sort();
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** One GET on a connection of its own (no keep-alive), so the cluster may hand it to any worker. */
function getStatus(url: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = get(url, { agent: false, headers: { authorization: `Bearer ${token}` } });
    request.once('error', reject);
    request.once('response', (response) => {
      response.resume();
      response.once('end', () => resolve(response.statusCode ?? 0));
    });
  });
}

const metricsToken = randomBytes(16).toString('hex');

describe('GIBBON_API_WORKERS=2 on Postgres', () => {
  let testDatabase: TestDatabase;
  let dataDir: string;
  let api: ApiProcess;
  let adminToken: string;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    dataDir = await mkdtemp(join(tmpdir(), 'gibbon-workers-'));
    api = await startApiProcess({
      dataDir,
      databaseUrl: testDatabase.url,
      githubApiUrl: 'http://127.0.0.1:9',
      masterKey: randomBytes(32).toString('base64'),
      workers: 2,
      metricsToken,
    });
    adminToken = (await readFile(join(dataDir, 'admin-token'), 'utf8')).trim();
  });
  afterAll(async () => {
    await api?.stop();
    await testDatabase?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('serves one port from two worker processes, and GET /metrics counts the requests of both', async () => {
    expect(childrenOf(api.pid)).toHaveLength(2);
    const statuses = [];
    for (let i = 0; i < 20; i++) statuses.push(await getStatus(`${api.url}/v1/orgs`, adminToken));
    expect(statuses).toEqual(Array.from({ length: 20 }, () => 200));
    // The scrape lands on one worker; it must answer for both (each saw about half).
    const scrape = await fetch(`${api.url}/metrics`, {
      headers: { authorization: `Bearer ${metricsToken}` },
    });
    const text = await scrape.text();
    expect(text).toContain(
      'gibbon_http_request_duration_seconds_count{method="GET",route="/v1/orgs",status="200"} 20\n',
    );
  });

  it('starts another worker in place of one killed, and keeps answering meanwhile', async () => {
    const [victim, survivor] = childrenOf(api.pid);
    process.kill(victim ?? 0, 'SIGKILL');
    await eventually(() => Promise.resolve(!isAlive(victim ?? 0)), 5_000);
    for (let i = 0; i < 5; i++) {
      expect(await getStatus(`${api.url}/v1/orgs`, adminToken)).toBe(200);
    }
    await eventually(() => Promise.resolve(childrenOf(api.pid).length === 2), 15_000);
    const now = childrenOf(api.pid);
    expect(now).toContain(survivor);
    expect(now).not.toContain(victim);
    expect(api.logLines.join('\n')).toContain(
      'a public-api worker stopped unexpectedly; starting another',
    );
    // The new worker serves too: every request of a fresh connection is answered.
    const listening = () =>
      api.logLines.filter((line) => line.includes('public-api worker listening')).length;
    await eventually(() => Promise.resolve(listening() >= 3), 15_000);
    for (let i = 0; i < 6; i++) {
      expect(await getStatus(`${api.url}/v1/orgs`, adminToken)).toBe(200);
    }
  });

  it('stops every worker on SIGTERM and exits 0', async () => {
    const workers = childrenOf(api.pid);
    await api.stop();
    expect(api.exitCode()).toBe(0);
    expect(workers.filter(isAlive)).toEqual([]);
  });
});

/**
 * `pnpm bench` (workers): signed webhook deliveries on Postgres with GIBBON_API_WORKERS=1, then
 * 2 (BENCH_WORKERS=1,2,4 for others): deliveries/s, p50 and p99 per process count (target with
 * 2: ≥ 2,000/s, p99 < 50 ms), each delivery checked to have made exactly one build. One
 * fresh database per count, on the Postgres of GIBBON_TEST_POSTGRES_URL (as the tests use).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase } from '@gibbon/test-kit';
import { benchDeliveries, setUpWebhook } from './deliveries';
import { startService } from './service-process';

const deliveries = Number(process.env.BENCH_DELIVERIES ?? '10000');
const connections = Number(process.env.BENCH_CONNECTIONS ?? '32');
const counts = (process.env.BENCH_WORKERS ?? '1,2').split(',').map(Number);

async function benchWorkers(workers: number): Promise<void> {
  const database = await createTestDatabase();
  const dataDir = await mkdtemp(join(tmpdir(), 'gibbon-bench-workers-'));
  const service = await startService(dataDir, {
    GIBBON_DATABASE_URL: database.url,
    GIBBON_API_WORKERS: String(workers),
  });
  try {
    const token = (await readFile(join(dataDir, 'admin-token'), 'utf8')).trim();
    const webhook = await setUpWebhook(service.url, token);
    const cpuBefore = service.cpuMs();
    await benchDeliveries(service.url, token, webhook, { connections, deliveries }, { workers });
    const cpuMs = service.cpuMs() - cpuBefore;
    console.log(
      JSON.stringify({ workers, serviceCpuMsPerDelivery: Number((cpuMs / deliveries).toFixed(3)) }),
    );
  } finally {
    await service.stop();
    await rm(dataDir, { recursive: true, force: true });
    await database.drop();
  }
}

async function main(): Promise<void> {
  console.log(
    `public-api workers bench: Postgres, ${connections} connections, ${deliveries} deliveries per process count`,
  );
  for (const workers of counts) await benchWorkers(workers);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

import { randomBytes } from 'node:crypto';
import type { Backend } from './backends';
import { startTestApp, type TestApp, type TestAppOptions } from './harness';

/**
 * Two public-api instances on one database, each with its own connection pool, hub and (on
 * Postgres) events bridge, as two processes would be. The second shares the first's master
 * key, admin token and blob store, as processes of one installation do. (SQLite shares a file
 * between processes the same way, but two synchronous connections inside one test process
 * would block each other: these suites run on Postgres.)
 */
export interface TwoInstances {
  readonly first: TestApp;
  readonly second: TestApp;
  close(): Promise<void>;
}

export async function startTwoInstances(
  backend: Backend,
  services: { first?: TestAppOptions['services']; second?: TestAppOptions['services'] },
): Promise<TwoInstances> {
  const opened = await backend.open();
  const secondDatabase = await opened.reopen();
  const masterKey = randomBytes(32);
  const first = await startTestApp({
    masterKey,
    database: opened.database,
    services: services.first,
  });
  const second = await startTestApp({
    masterKey,
    database: secondDatabase,
    adminToken: first.adminToken,
    wrapBlobStore: () => first.blobStore,
    services: services.second,
  });
  return {
    first,
    second,
    async close() {
      await second.close();
      await first.close();
      await secondDatabase.close();
      await opened.cleanup();
    },
  };
}

import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * The Postgres server tests use: `GIBBON_TEST_POSTGRES_URL`, or the role that `.ci/run` and
 * DEVELOPERS.md set up on a local server. It must be allowed to create databases.
 */
export const testPostgresUrl =
  process.env.GIBBON_TEST_POSTGRES_URL ?? 'postgres://gibbon:gibbon@127.0.0.1:5432/postgres';

/** A database of its own for one test suite. */
export interface TestDatabase {
  /** `postgres://...` of the fresh, empty database. */
  readonly url: string;
  /** Drops the database (closing its connections first). Safe to call twice. */
  drop(): Promise<void>;
}

async function withAdminClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: testPostgresUrl });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `Cannot reach the test Postgres at ${redactPassword(testPostgresUrl)}. Start one as ` +
        'DEVELOPERS.md describes (bash .ci/run does it), or set GIBBON_TEST_POSTGRES_URL.',
      { cause: error },
    );
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function redactPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/** Postgres's `insufficient_privilege`. */
const INSUFFICIENT_PRIVILEGE = '42501';

/**
 * `DROP DATABASE … WITH (FORCE)` ends the database's connections, but the test role may not
 * end a connection of another role: an autovacuum worker that happens to be on the database
 * (the superuser's) makes the drop fail. Such a worker is done within moments, so the drop is
 * tried again for up to 10 s.
 */
async function dropForced(client: Client, name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      return;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code !== INSUFFICIENT_PRIVILEGE || attempt >= 40) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/** Creates a fresh database on the test server, named `gibbon_test_<random>`. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `gibbon_test_${randomBytes(6).toString('hex')}`;
  await withAdminClient((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(testPostgresUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    async drop() {
      if (dropped) return;
      dropped = true;
      await withAdminClient((client) => dropForced(client, name));
    },
  };
}

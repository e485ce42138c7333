import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase } from '@gibbon/test-kit';
import { Client } from 'pg';
import { openDatabase, type GibbonDatabase } from '../src/db/database';

/** One database under test, with a way to see everything it stored. */
export interface OpenedBackend {
  readonly database: GibbonDatabase;
  /** Every byte the back end holds, as text: SQLite's files, or every Postgres table row. */
  dumpEverything(): Promise<string>;
  /** Opens the same data again (a restart). */
  reopen(): Promise<GibbonDatabase>;
  cleanup(): Promise<void>;
}

export interface Backend {
  readonly name: 'sqlite' | 'postgres';
  open(): Promise<OpenedBackend>;
}

const sqlite: Backend = {
  name: 'sqlite',
  async open() {
    const folder = await mkdtemp(join(tmpdir(), 'gibbon-db-'));
    const file = join(folder, 'gibbon.sqlite');
    const database = await openDatabase({ backend: 'sqlite', file });
    return {
      database,
      reopen: () => openDatabase({ backend: 'sqlite', file }),
      async dumpEverything() {
        // The main file and the write-ahead log: recent writes may still sit in the WAL.
        const names = await readdir(folder);
        const contents = await Promise.all(names.map((name) => readFile(join(folder, name))));
        return Buffer.concat(contents).toString('latin1');
      },
      async cleanup() {
        await database.close();
        await rm(folder, { recursive: true, force: true });
      },
    };
  },
};

const postgres: Backend = {
  name: 'postgres',
  async open() {
    const testDatabase = await createTestDatabase();
    const database = await openDatabase({ backend: 'postgres', url: testDatabase.url });
    return {
      database,
      reopen: () => openDatabase({ backend: 'postgres', url: testDatabase.url }),
      async dumpEverything() {
        const client = new Client({ connectionString: testDatabase.url });
        await client.connect();
        try {
          const tables = await client.query<{ table_name: string }>(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
          );
          const dumps = await Promise.all(
            tables.rows.map(async ({ table_name }) => {
              const rows = await client.query<{ row: string }>(
                `SELECT t::text AS row FROM "${table_name}" t`,
              );
              return `${table_name}:\n${rows.rows.map((r) => r.row).join('\n')}`;
            }),
          );
          return dumps.join('\n');
        } finally {
          await client.end();
        }
      },
      async cleanup() {
        await database.close();
        await testDatabase.drop();
      },
    };
  },
};

/** The database suite runs once per back end. */
export const backends: readonly Backend[] = [sqlite, postgres];

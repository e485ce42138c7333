import { closeSync, fchmodSync, openSync } from 'node:fs';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { Pool } from 'pg';
import { migrateToLatest } from './migrations';
import { PgListener, type ListenerHandlers, type ListenerOptions } from './pg-listener';
import { withStatementCache } from './statement-cache';
import type { GibbonTables } from './schema';

/** Where the data lives: an SQLite file (the embedded default) or a Postgres server. */
export type DatabaseTarget =
  | { readonly backend: 'sqlite'; readonly file: string }
  | { readonly backend: 'postgres'; readonly url: string };

export type Db = Kysely<GibbonTables>;

/**
 * An open, migrated database.
 * Lifecycle: `openDatabase` connects and runs every pending migration before it resolves;
 * the repositories then share `db` freely (SQLite serialises writes itself, Postgres through
 * its pool); `close` waits for queries in flight, then releases the file or the pool. `close`
 * is safe to call twice.
 */
export interface GibbonDatabase {
  readonly db: Db;
  readonly backend: DatabaseTarget['backend'];
  /**
   * Postgres only: a listener on its own connection to the same server (not started; its
   * owner starts and closes it). SQLite has no notifications between processes.
   */
  readonly listen?: (
    channel: string,
    handlers: ListenerHandlers,
    options?: Partial<ListenerOptions>,
  ) => PgListener;
  close(): Promise<void>;
}

/**
 * Creates the database file with mode 0600 before SQLite opens it: SQLite gives the `-wal` and
 * `-shm` files it makes the mode of the database file, so all three are private whatever the
 * umask. An existing file keeps its mode (the start refuses a loose one: data-folder/).
 */
function createPrivately(file: string): void {
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw error;
  }
  try {
    fchmodSync(fd, 0o600);
  } finally {
    closeSync(fd);
  }
}

function sqliteDialect(file: string): SqliteDialect {
  createPrivately(file);
  const connection = new SqliteDatabase(file);
  // WAL lets readers run beside the writer; foreign keys are off by default in SQLite.
  connection.pragma('journal_mode = WAL');
  connection.pragma('synchronous = NORMAL');
  connection.pragma('foreign_keys = ON');
  connection.pragma('busy_timeout = 5000');
  return new SqliteDialect({ database: withStatementCache(connection) });
}

function postgresDialect(url: string): PostgresDialect {
  const pool = new Pool({ connectionString: url, max: 10 });
  // An idle pooled connection that the server ends (restart, failover, DROP DATABASE ... FORCE)
  // emits 'error' on the pool; without a listener that crashes the process. pg drops such a
  // client from the pool by itself and the next query opens a new connection, so nothing else
  // is to be done here. Errors of queries in flight still reach their callers.
  pool.on('error', () => undefined);
  // A connection the server ends while a caller holds it (a transaction between two queries)
  // emits 'error' on the client itself, which the pool does not listen to then: the process
  // died with an unhandled 'error' event when Postgres went away mid-request (attack test A8).
  // The caller's next query on it fails and is answered; the pool discards the client.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return new PostgresDialect({ pool });
}

/** Opens `target` and migrates it to the newest schema. */
export async function openDatabase(target: DatabaseTarget): Promise<GibbonDatabase> {
  const dialect =
    target.backend === 'sqlite' ? sqliteDialect(target.file) : postgresDialect(target.url);
  const db = new Kysely<GibbonTables>({ dialect });
  try {
    await migrateToLatest(db as Kysely<unknown>);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  let closed = false;
  return {
    db,
    backend: target.backend,
    ...(target.backend === 'postgres' && {
      listen: (channel, handlers, options) =>
        new PgListener(target.url, channel, handlers, options),
    }),
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}

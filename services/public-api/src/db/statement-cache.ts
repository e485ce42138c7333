import type SqliteDatabase from 'better-sqlite3';
import type { SqliteDatabase as KyselySqliteDatabase, SqliteStatement } from 'kysely';

const maxStatements = 500;

/**
 * Kysely's SQLite driver prepares every statement anew; the repositories issue a small,
 * fixed set of SQL texts, so reusing prepared statements saves parsing on every request.
 * Safe because better-sqlite3 runs a statement to completion synchronously (Kysely only
 * `iterate`s for streaming, which the repositories don't use), so one statement object is
 * never in use twice at once. The cache is bounded in case of dynamic SQL (e.g. `IN` lists).
 */
export function withStatementCache(connection: SqliteDatabase.Database): KyselySqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    close: () => {
      statements.clear();
      connection.close();
    },
    prepare(sql: string): SqliteStatement {
      let statement = statements.get(sql);
      if (statement === undefined) {
        if (statements.size >= maxStatements) statements.clear();
        statement = connection.prepare(sql);
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}

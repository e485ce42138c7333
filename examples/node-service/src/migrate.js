import { readdir, readFile } from 'node:fs/promises';

const migrationsDir = new URL('../migrations/', import.meta.url);

/**
 * Applies the SQL files of migrations/ that the database has not seen, in name order, each in
 * a transaction with its row in schema_migrations. An advisory lock makes a second instance
 * starting at the same time wait instead of applying them twice.
 */
export async function migrate(pool) {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock(20260101)');
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const { rows } = await client.query('SELECT name FROM schema_migrations');
    const applied = new Set(rows.map((row) => row.name));
    const files = (await readdir(migrationsDir)).filter((name) => name.endsWith('.sql')).sort();
    for (const name of files.filter((file) => !applied.has(file))) {
      const sql = await readFile(new URL(name, migrationsDir), 'utf8');
      await client.query('BEGIN');
      try {
        await client.query(sql);
        await client.query('INSERT INTO schema_migrations (name) VALUES ($1)', [name]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`Migration ${name} failed: ${error.message}`, { cause: error });
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock(20260101)').catch(() => undefined);
    client.release();
  }
}

import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { createApp } from './app.js';
import { migrate } from './migrate.js';

/** Connects to DATABASE_URL, brings its schema up to date, and listens on PORT. */
export async function start({ databaseUrl, port }) {
  if (!databaseUrl) {
    throw new Error('DATABASE_URL is not set: postgres://user:password@host:5432/database');
  }
  const pool = new pg.Pool({ connectionString: databaseUrl });
  await migrate(pool).catch(async (error) => {
    await pool.end();
    throw error;
  });
  const server = createApp(pool);
  await new Promise((resolve) => server.listen(port, resolve));
  server.on('close', () => pool.end());
  return server;
}

// Run as `node src/main.js` (npm start); imported by the tests, it only exports start().
if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const server = await start({
    databaseUrl: process.env.DATABASE_URL,
    port: Number(process.env.PORT ?? 3000),
  });
  console.log(`shortlinks listening on port ${server.address().port}`);
  process.on('SIGTERM', () => server.close());
}

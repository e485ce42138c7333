import { container, pipeline } from '@gibbon/sdk';

/**
 * A Node service tested against a real Postgres: `install` runs `npm ci` with a cache; `test`
 * runs the service's tests with a Postgres service container beside it. The job and its
 * services share one network namespace, so the database is at `db:5432` (no ports to map),
 * and it lives only as long as the job, hence a plain password. The images are `node:20` and
 * `postgres:16` unless the build's env says otherwise (`gibbon run --env NODE_IMAGE=...
 * --env POSTGRES_IMAGE=...`).
 */
export default pipeline((ctx) => {
  const image = ctx.env.NODE_IMAGE ?? 'node:20';
  return [
    container('install', {
      image,
      script: [
        'mkdir -p .npm node_modules',
        // Later jobs of the build use this checkout, node_modules included.
        'if command -v npm >/dev/null; then npm ci --cache .npm --prefer-offline; else echo "no npm in the image: npm ci skipped, node_modules used as it is"; fi',
      ],
      caches: [{ id: 'npm', path: '.npm', key: ['package-lock.json'] }],
    }),
    container('test', {
      image,
      script: ['node --test test/'],
      dependsOn: ['install'],
      env: { DATABASE_URL: 'postgres://postgres:postgres@db:5432/shortlinks' },
      services: [
        {
          id: 'db',
          image: ctx.env.POSTGRES_IMAGE ?? 'postgres:16',
          env: { POSTGRES_PASSWORD: 'postgres', POSTGRES_DB: 'shortlinks' },
          // Over TCP: while the image initialises the database, its server listens on a
          // Unix socket only, and a check there would pass too early.
          healthcheck: { command: ['pg_isready', '-h', '127.0.0.1', '-U', 'postgres'] },
        },
      ],
    }),
  ];
});

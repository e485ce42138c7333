import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { dockerClient } from './docker-client';
import { ensureTestImage } from './docker-image';
import { withFileLock } from './file-lock';
import { buildStandInImage, copyWithLibraries } from './stand-in-image';

const run = promisify(execFile);

/** The tag docker-compose.test.yml names too; rebuilt in place when its recipe changes. */
export const postgresImage = 'gibbon-test/postgres:15';

/** Bump when the image's contents change in a way the inputs of its hash don't show. */
const recipeVersion = 2;
const recipeLabel = 'dev.gibbon.test-recipe';
const pgVersion = '15';
const pgBin = `/usr/lib/postgresql/${pgVersion}/bin`;

/**
 * Returns `gibbon-test/postgres:15`: Debian's Postgres 15 (this machine's package) on the test
 * image, with an entrypoint like the official image's (POSTGRES_USER, default `postgres`;
 * POSTGRES_PASSWORD; POSTGRES_DB, default the user) and `pg_isready`. No registry is used.
 * Built once: later calls, and other jest workers waiting on the lock, find its recipe label.
 */
export async function ensurePostgresImage(): Promise<string> {
  const baseImage = await ensureTestImage();
  const recipe = await recipeHash(baseImage);
  if ((await labelOf(postgresImage)) === recipe) return postgresImage;
  const lockName = `gibbon-image-${postgresImage.replace(/[^a-zA-Z0-9.-]/g, '_')}.lock`;
  await withFileLock(join(tmpdir(), lockName), async () => {
    if ((await labelOf(postgresImage)) === recipe) return;
    await buildStandInImage((context) => writeContext(context, baseImage, recipe), postgresImage);
  });
  return postgresImage;
}

async function recipeHash(baseImage: string): Promise<string> {
  const version = await run(`${pgBin}/postgres`, ['--version']).then(
    ({ stdout }) => stdout.trim(),
    (error: unknown) => {
      const hint = `install Postgres ${pgVersion} (Debian 12: apt-get install -y postgresql-${pgVersion})`;
      throw new Error(`No ${pgBin}/postgres to build ${postgresImage} from: ${hint}.`, {
        cause: error,
      });
    },
  );
  const inputs = [recipeVersion, baseImage, version, entrypoint];
  return createHash('sha256').update(JSON.stringify(inputs)).digest('hex').slice(0, 12);
}

/** The recipe label of `image`; undefined when it is missing or has none. */
async function labelOf(image: string): Promise<string | undefined> {
  try {
    const inspected = await dockerClient().getImage(image).inspect();
    return inspected.Config.Labels?.[recipeLabel];
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return undefined;
    throw new Error(`Could not inspect the image ${image}: ${String(error)}`, { cause: error });
  }
}

async function writeContext(context: string, baseImage: string, recipe: string) {
  const root = join(context, 'root');
  const copies = [
    `/usr/lib/postgresql/${pgVersion}`,
    `/usr/share/postgresql/${pgVersion}`,
    '/usr/share/zoneinfo',
  ];
  for (const path of copies)
    await cp(path, join(root, path), { recursive: true, dereference: true });
  for (const binary of ['postgres', 'initdb', 'pg_isready']) {
    await copyWithLibraries(`${pgBin}/${binary}`, root);
  }
  await mkdir(join(root, 'usr/local/bin'), { recursive: true });
  await writeFile(join(root, 'usr/local/bin/postgres-entrypoint'), entrypoint, { mode: 0o755 });
  return [
    `FROM ${baseImage}`,
    'COPY root/ /',
    "RUN echo 'postgres:x:999:999:postgres:/var/lib/postgresql:/bin/sh' >> /etc/passwd" +
      " && echo 'postgres:x:999:' >> /etc/group" +
      ' && mkdir -p /var/lib/postgresql/data /var/run/postgresql' +
      ' && chown -R postgres:postgres /var/lib/postgresql /var/run/postgresql' +
      ' && chmod 700 /var/lib/postgresql/data',
    `ENV PATH=${pgBin}:/usr/local/bin:/usr/bin:/bin PGDATA=/var/lib/postgresql/data`,
    'USER postgres',
    'EXPOSE 5432',
    `LABEL ${recipeLabel}=${recipe}`,
    'ENTRYPOINT ["/usr/local/bin/postgres-entrypoint"]',
  ];
}

/** First start: initdb with the user and password, the database created; then postgres. */
const entrypoint = `#!/bin/sh
set -e
: "\${POSTGRES_USER:=postgres}"
: "\${POSTGRES_DB:=$POSTGRES_USER}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  printf '%s\\n' "$POSTGRES_PASSWORD" > /tmp/pwfile
  initdb -D "$PGDATA" -U "$POSTGRES_USER" --pwfile=/tmp/pwfile --auth-host=scram-sha-256 --auth-local=trust --encoding=UTF8 --locale=C >/dev/null
  rm /tmp/pwfile
  echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
  if [ "$POSTGRES_DB" != postgres ]; then
    echo "CREATE DATABASE \\"$POSTGRES_DB\\";" | postgres --single -D "$PGDATA" -c listen_addresses= postgres >/dev/null
  fi
fi
exec postgres -D "$PGDATA" -c listen_addresses='*'
`;

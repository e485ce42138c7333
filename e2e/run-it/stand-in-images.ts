import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { docker } from './docker-cli';

const run = promisify(execFile);

// Stand-ins for the upstream images docker-compose.yml names (postgres:15, minio/minio),
// which cannot be pulled here: the same kind of software from this machine, built on
// test-kit's busybox+node image. docker-compose.test.yml substitutes them.

export const postgresStandIn = 'gibbon-test/postgres:15';
export const s3StandIn = 'gibbon-test/s3rver:3';
export const githubStandIn = 'gibbon-test/github:1';

const pgVersion = '15';
const pgBin = `/usr/lib/postgresql/${pgVersion}/bin`;

/** Debian's Postgres 15 (the host's package) with an entrypoint like the official image's. */
export async function buildPostgresStandIn(baseImage: string): Promise<string> {
  return buildFrom(async (context) => {
    const copies = [
      `/usr/lib/postgresql/${pgVersion}`,
      `/usr/share/postgresql/${pgVersion}`,
      '/usr/share/zoneinfo',
    ];
    for (const path of copies)
      await cp(path, join(context, 'root', path), { recursive: true, dereference: true });
    for (const binary of ['postgres', 'initdb', 'pg_isready']) {
      await copyWithLibraries(`${pgBin}/${binary}`, join(context, 'root'));
    }
    await mkdir(join(context, 'root/usr/local/bin'), { recursive: true });
    await writeFile(join(context, 'root/usr/local/bin/postgres-entrypoint'), entrypoint, {
      mode: 0o755,
    });
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
      'ENTRYPOINT ["/usr/local/bin/postgres-entrypoint"]',
    ];
  }, postgresStandIn);
}

/** First start: initdb with POSTGRES_USER/POSTGRES_PASSWORD and POSTGRES_DB; then postgres. */
const entrypoint = `#!/bin/sh
set -e
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

/** s3rver (test-kit's S3 server) with its dependencies, as \`pnpm deploy\` lays them out. */
export async function buildS3StandIn(baseImage: string, repoRoot: string): Promise<string> {
  return buildFrom(async (context) => {
    await run(
      'pnpm',
      ['--filter', '@gibbon/test-kit', 'deploy', '--prod', '--offline', join(context, 'app')],
      {
        cwd: repoRoot,
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    return [
      `FROM ${baseImage}`,
      'COPY app /app',
      'RUN mkdir -p /data',
      'EXPOSE 9000',
      'ENTRYPOINT ["node", "/app/node_modules/s3rver/bin/s3rver.js"]',
    ];
  }, s3StandIn);
}

/**
 * test-kit's GitHub stand-in program (git smart HTTP and a recording REST API) with this
 * machine's git: the `git` binary, `git http-backend` and the libraries they load.
 */
export async function buildGithubStandIn(baseImage: string, program: string): Promise<string> {
  return buildFrom(async (context) => {
    const gitCore = '/usr/lib/git-core';
    for (const binary of [`${gitCore}/git`, `${gitCore}/git-http-backend`]) {
      await copyWithLibraries(binary, join(context, 'root'));
    }
    await build({
      entryPoints: [program],
      bundle: true,
      platform: 'node',
      target: 'node20',
      outfile: join(context, 'github-stand-in.js'),
      logLevel: 'error',
    });
    return [
      `FROM ${baseImage}`,
      'COPY root/ /',
      'COPY github-stand-in.js /app/github-stand-in.js',
      // http-backend runs `git upload-pack` from git's exec path, as Debian's package lays it out.
      `RUN ln -s git ${gitCore}/git-upload-pack && mkdir -p /repositories`,
      'EXPOSE 8080',
      'ENTRYPOINT ["node", "/app/github-stand-in.js"]',
    ];
  }, githubStandIn);
}

async function copyWithLibraries(binary: string, root: string): Promise<void> {
  for (const file of [binary, ...(await sharedLibraries(binary))]) {
    await mkdir(join(root, dirname(file)), { recursive: true });
    await cp(await realpath(file), join(root, file));
  }
}

async function buildFrom(
  write: (context: string) => Promise<string[]>,
  tag: string,
): Promise<string> {
  const context = await mkdtemp(join(tmpdir(), 'gibbon-stand-in-'));
  try {
    const lines = [...(await write(context)), 'LABEL dev.gibbon.test-stand-in=1'];
    await writeFile(join(context, 'Dockerfile'), lines.join('\n') + '\n');
    await docker(['build', '--pull=false', '-q', '-t', tag, context], 300_000);
    return tag;
  } finally {
    await rm(context, { recursive: true, force: true });
  }
}

async function sharedLibraries(binary: string): Promise<string[]> {
  const { stdout } = await run('ldd', [binary]);
  return [...stdout.matchAll(/(?:=>\s+)?(\/\S+)\s+\(0x[0-9a-f]+\)/g)].map(
    (match) => match[1] ?? '',
  );
}

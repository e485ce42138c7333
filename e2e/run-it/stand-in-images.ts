import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildStandInImage, copyWithLibraries } from '@gibbon/test-kit';
import { build } from 'esbuild';

const run = promisify(execFile);

// Stand-ins for the upstream images docker-compose.yml names (postgres:15, minio/minio),
// which cannot be pulled here: the same kind of software from this machine, built on
// test-kit's busybox+node image. docker-compose.test.yml substitutes them. Postgres's is
// test-kit's `ensurePostgresImage()`, which the examples' tests use too.

export const s3StandIn = 'gibbon-test/s3rver:3';
export const githubStandIn = 'gibbon-test/github:1';

/** s3rver (test-kit's S3 server) with its dependencies, as \`pnpm deploy\` lays them out. */
export async function buildS3StandIn(baseImage: string, repoRoot: string): Promise<string> {
  return buildStandInImage(async (context) => {
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
  return buildStandInImage(async (context) => {
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

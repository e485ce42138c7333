import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ensureTestImage } from '@gibbon/test-kit';
import {
  buildServiceImage,
  pruneTestBuildImages,
  containerLogs,
  docker,
  waitUntilHealthy,
} from './docker-cli';
import { ensureNodeBaseImage } from './node-base-image';
import { buildPostgresStandIn, buildS3StandIn } from './stand-in-images';
import { freePort } from '../build/harness/free-port';
import { repoRoot } from './start-process';

// `docker-compose -f docker-compose.yml -f docker-compose.test.yml up` with locally built
// images: Postgres and the S3 server become healthy, public-api starts on them, a runner
// registered with the admin token starts with the Docker socket and reaches public-api.
// Needs `docker-compose` (Debian: docker-compose, v1.29).

const run = promisify(execFile);
const suffix = randomBytes(4).toString('hex');
const project = `gibbon-compose-${suffix}`;
const apiImage = `gibbon-test/public-api:compose-${suffix}`;
const runnerImage = `gibbon-test/build-runner:compose-${suffix}`;
let workDir: string;
let envFile: string;
let port: number;

function compose(args: readonly string[], extraEnv: NodeJS.ProcessEnv = {}) {
  const files = ['-f', 'docker-compose.yml', '-f', 'docker-compose.test.yml'];
  return run('docker-compose', ['-p', project, '--env-file', envFile, ...files, ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...extraEnv },
    timeout: 300_000,
    maxBuffer: 16 * 1024 * 1024,
  });
}

beforeAll(async () => {
  const base = await ensureTestImage();
  await ensureNodeBaseImage(base, repoRoot);
  await buildServiceImage(repoRoot, 'public-api', apiImage);
  await buildServiceImage(repoRoot, 'build-runner', runnerImage);
  await buildPostgresStandIn(base);
  await buildS3StandIn(base, repoRoot);

  workDir = await mkdtemp(join(tmpdir(), 'gibbon-compose-'));
  const runnerWork = join(workDir, 'runner-work');
  await run('mkdir', ['-p', runnerWork]);
  await chmod(runnerWork, 0o777); // the runner runs as uid 1000
  port = await freePort();
  const example = await readFile(join(repoRoot, '.env.example'), 'utf8');
  const settings: Record<string, string> = {
    GIBBON_PORT: String(port),
    GIBBON_PUBLIC_URL: `http://localhost:${port}`,
    POSTGRES_PASSWORD: randomBytes(12).toString('hex'),
    DOCKER_GID: String((await stat('/var/run/docker.sock')).gid),
    GIBBON_RUNNER_WORK_DIR: runnerWork,
    GIBBON_TEST_API_IMAGE: apiImage,
    GIBBON_TEST_RUNNER_IMAGE: runnerImage,
    // s3rver knows one key pair only; MinIO takes whatever .env sets.
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
  };
  const lines = example.split('\n').filter((line) => !((line.split('=')[0] ?? '') in settings));
  envFile = join(workDir, '.env');
  const overrides = Object.entries(settings).map(([name, value]) => `${name}=${value}`);
  await writeFile(envFile, [...lines, ...overrides].join('\n') + '\n');
}, 1_200_000);

afterAll(async () => {
  await compose(['down', '-v', '--remove-orphans']).catch(() => undefined);
  await docker(['rmi', apiImage, runnerImage]).catch(() => undefined);
  await pruneTestBuildImages();
  await rm(workDir, { recursive: true, force: true });
}, 120_000);

test('the stack comes up healthy and the registered runner reaches public-api', async () => {
  // depends_on conditions: postgres healthy, minio healthy → minio-init done → public-api.
  await compose(['up', '-d', '--no-build', 'public-api']);
  await waitUntilHealthy(`${project}_public-api_1`, 120_000);
  for (const name of ['postgres', 'minio']) {
    await waitUntilHealthy(`${project}_${name}_1`, 10_000);
  }
  const init = await docker(['inspect', '-f', '{{.State.ExitCode}}', `${project}_minio-init_1`]);
  expect(init).toBe('0');
  const health = await fetch(`http://127.0.0.1:${port}/healthz`);
  expect(health.status).toBe(200);

  const { stdout: token } = await compose(['exec', '-T', 'public-api', 'cat', '/data/admin-token']);
  const adminToken = token.trim();
  const registered = await fetch(`http://127.0.0.1:${port}/v1/runners`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'compose' }),
  });
  expect(registered.status).toBe(201);
  const runner = (await registered.json()) as { id: string; token: string };

  await compose(['up', '-d', '--no-build', 'build-runner'], { GIBBON_RUNNER_TOKEN: runner.token });
  await waitUntilHealthy(`${project}_build-runner_1`, 90_000);
  const deadline = Date.now() + 60_000;
  let lastSeenAt: string | null = null;
  while (lastSeenAt === null && Date.now() < deadline) {
    const res = await fetch(`http://127.0.0.1:${port}/v1/runners`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    const { items } = (await res.json()) as { items: { id: string; lastSeenAt: string | null }[] };
    lastSeenAt = items.find((item) => item.id === runner.id)?.lastSeenAt ?? null;
    if (lastSeenAt === null) await new Promise((done) => setTimeout(done, 1_000));
  }
  expect(lastSeenAt).not.toBeNull();
  const database = await containerLogs(`${project}_public-api_1`);
  expect(database).toContain('"database":"postgres"');
}, 400_000);

import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { pruneTestBuildImages, docker, waitUntilHealthy } from './docker-cli';
import { ensureServiceImages, type ServiceImages } from './service-images';
import { freePort } from '../build/harness/free-port';

// The services' Dockerfiles built here with `docker build --pull=false` on a local stand-in
// for node:20.19-bookworm-slim, then run as a user would: public-api healthy by its own
// HEALTHCHECK as the unprivileged `node` user; the build-runner (root: see its Dockerfile)
// with a registered runner token and the Docker socket, healthy once it reaches public-api,
// given what its build scripts' boxes need of the container; without that it refuses to start.

const execFileAsync = promisify(execFile);
const suffix = randomBytes(4).toString('hex');
const apiContainer = `gibbon-test-api-${suffix}`;
const runnerContainer = `gibbon-test-runner-${suffix}`;
let port: number;
let images: ServiceImages;

beforeAll(async () => {
  images = await ensureServiceImages();
  port = await freePort();
}, 1_800_000);

afterAll(async () => {
  await docker(['rm', '-f', '-v', apiContainer, runnerContainer]).catch(() => undefined);
  await pruneTestBuildImages();
}, 60_000);

async function adminToken(): Promise<string> {
  return docker(['exec', apiContainer, 'cat', '/data/admin-token']);
}

test('public-api image: runs as node, healthy by its HEALTHCHECK, serves /healthz with SQLite in /data, and the web page', async () => {
  // This engine has no bridge network: the containers share the host's loopback.
  await docker([
    'run',
    '-d',
    '--name',
    apiContainer,
    '--network',
    'host',
    '-e',
    `GIBBON_PORT=${port}`,
    images.api,
  ]);
  await waitUntilHealthy(apiContainer, 90_000);
  expect(await docker(['inspect', '-f', '{{.Config.User}}', apiContainer])).toBe('node');
  expect(await docker(['exec', apiContainer, 'id', '-u'])).toBe('1000');
  const health = await fetch(`http://127.0.0.1:${port}/healthz`);
  expect(await health.json()).toEqual({ status: 'ok' });
  // The image carries the built web page (the Dockerfile builds @gibbon/web with public-api).
  const page = await fetch(`http://127.0.0.1:${port}/`);
  expect(page.status).toBe(200);
  expect(await page.text()).toMatch(/<script type="module" crossorigin src="\/assets\//);
  expect(await docker(['exec', apiContainer, 'ls', '/data'])).toContain('gibbon.sqlite');
  expect(await adminToken()).toMatch(/^gbn_admin_/);
}, 120_000);

async function registerRunner(name: string): Promise<string> {
  const registered = await fetch(`http://127.0.0.1:${port}/v1/runners`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await adminToken()}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  expect(registered.status).toBe(201);
  return ((await registered.json()) as { token: string }).token;
}

test("build-runner image under Docker's default confinement refuses to start, saying how to fix it", async () => {
  const token = await registerRunner('confined');
  const run = execFileAsync('docker', [
    'run', '--rm', '--network', 'host', '-v', '/var/run/docker.sock:/var/run/docker.sock',
    '-e', `GIBBON_SERVER_URL=http://127.0.0.1:${port}`, '-e', `GIBBON_RUNNER_TOKEN=${token}`,
    '-e', 'GIBBON_JOB_NETWORK=none', images.runner,
  ]); // prettier-ignore
  const failed = await run.then(
    () => undefined,
    (error: { code?: number; stderr?: string }) => error,
  );
  expect(failed?.code).toBe(1);
  expect(failed?.stderr).toContain("Build scripts can't be sandboxed on this machine");
  expect(failed?.stderr).toContain('--security-opt systempaths=unconfined');
}, 60_000);

test('build-runner image: registered token, the Docker socket, healthy once it reaches public-api', async () => {
  const token = await registerRunner('image-test');
  await docker([
    'run', '-d', '--name', runnerContainer, '--network', 'host',
    '-v', '/var/run/docker.sock:/var/run/docker.sock',
    '-e', `GIBBON_SERVER_URL=http://127.0.0.1:${port}`, '-e', `GIBBON_RUNNER_TOKEN=${token}`,
    '-e', 'GIBBON_JOB_NETWORK=none',
    // What the build scripts' boxes need of the container (see the runner's Dockerfile).
    '--security-opt', 'seccomp=unconfined', '--security-opt', 'apparmor=unconfined',
    '--security-opt', 'systempaths=unconfined', images.runner,
  ]); // prettier-ignore
  await waitUntilHealthy(runnerContainer, 90_000);
  // Root, to delete what root in job containers writes into checkouts (see its Dockerfile).
  expect(await docker(['exec', runnerContainer, 'id', '-u'])).toBe('0');
  const logs = await execFileAsync('docker', ['logs', runnerContainer]);
  expect(logs.stdout).toContain('"message":"build-runner started"');
  expect(logs.stdout).toContain('"sandbox":"bubblewrap, a uid per build from 200000-265535"');
}, 120_000);

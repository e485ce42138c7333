// Checks `pnpm start` makes before it builds or spawns anything, so the three common mistakes
// (no Docker, port taken, data folder unusable) each end in one line that says how to fix them.
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** A problem the user can fix; `message` is the one line `pnpm start` prints. */
export class StartError extends Error {}

/** A service stopped at start; `message` is its own line (`gibbon public-api: ...`). */
export class ServiceFailedError extends StartError {}

/**
 * Creates the data folder (0700, set explicitly: the umask only takes bits away) when missing
 * and proves it can be written to. Whether an existing folder is private is public-api's check
 * at its start (it refuses with the path, its mode and the chmod that fixes it).
 */
export async function checkDataDir(dataDir) {
  const probe = join(dataDir, `.write-check-${process.pid}`);
  try {
    if ((await mkdir(dataDir, { recursive: true, mode: 0o700 })) !== undefined) {
      await chmod(dataDir, 0o700);
    }
    await writeFile(probe, '', { mode: 0o600 });
    await rm(probe);
  } catch (error) {
    throw new StartError(
      `The data folder ${dataDir} is not writable (${error.code ?? error.message}); ` +
        'set GIBBON_DATA_DIR to a folder you can write to.',
      { cause: error },
    );
  }
}

/**
 * Proves the port is free by listening on it briefly; port 0 picks a free one and returns it,
 * so the URL printed at the end is the one public-api really serves.
 */
export function checkPort(port, host) {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error) => {
      const fix = 'stop the other process or set GIBBON_PORT to a free port.';
      if (error.code === 'EADDRINUSE') {
        reject(new StartError(`Port ${port} is already in use; ${fix}`, { cause: error }));
      } else if (error.code === 'EACCES') {
        reject(new StartError(`Not allowed to listen on port ${port}; ${fix}`, { cause: error }));
      } else {
        reject(
          new StartError(`Cannot listen on ${host}:${port}: ${error.message}`, { cause: error }),
        );
      }
    });
    server.listen(port, host, () => {
      const chosen = server.address().port;
      server.close(() => resolve(chosen));
    });
  });
}

/** Where the Docker engine is: `DOCKER_HOST` (unix:// or tcp://) or the default socket. */
export function dockerEndpoint(env) {
  const host = env.DOCKER_HOST?.trim();
  if (!host) {
    return { target: { socketPath: '/var/run/docker.sock' }, label: '/var/run/docker.sock' };
  }
  if (host.startsWith('unix://')) {
    return { target: { socketPath: host.slice('unix://'.length) }, label: host };
  }
  const url = new URL(host.replace(/^tcp:/, 'http:'));
  return { target: { hostname: url.hostname, port: Number(url.port || 2375) }, label: host };
}

/** `GET /_ping` on the engine the build-runner will use; container jobs need it. */
export async function checkDocker(env, timeoutMs = 3_000) {
  const { target, label } = dockerEndpoint(env);
  const fix =
    'start the Docker engine (or point DOCKER_HOST at one); the build-runner runs container jobs on it.';
  try {
    const answer = await get({ ...target, path: '/_ping', timeout: timeoutMs });
    if (answer.status !== 200) throw new Error(`answered ${answer.status}`);
  } catch (error) {
    throw new StartError(
      `Docker is not reachable at ${label} (${error.code ?? error.message}); ${fix}`,
      { cause: error },
    );
  }
}

function get(options) {
  return new Promise((resolve, reject) => {
    const req = request({ ...options, method: 'GET' }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode }));
    });
    req.on('timeout', () =>
      req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })),
    );
    req.on('error', reject);
    req.end();
  });
}

/** Whether the engine has Docker's default `bridge` network (engines run with --bridge=none lack it). */
export async function dockerHasBridge(env, timeoutMs = 3_000) {
  const { target } = dockerEndpoint(env);
  const answer = await get({ ...target, path: '/networks/bridge', timeout: timeoutMs });
  return answer.status === 200;
}

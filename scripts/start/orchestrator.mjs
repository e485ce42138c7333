// `pnpm start` / `gibbon server`: public-api and one build-runner as two processes with the
// embedded defaults (SQLite and local storage in GIBBON_DATA_DIR, the local Docker engine).
//
// Order: settings → preflight (data folder, port, Docker) → build → public-api, wait for
// /healthz → runner registration → build-runner, wait until it has called public-api →
// banner → run until a signal (stop runner, then public-api) or until either service exits.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ApiClient } from './api-client.mjs';
import { banner } from './banner.mjs';
import { buildServices } from './build.mjs';
import {
  checkDataDir,
  checkDocker,
  checkPort,
  dockerHasBridge,
  ServiceFailedError,
  StartError,
} from './preflight.mjs';
import {
  adminTokenFileName,
  ensureRunnerToken,
  findRunner,
  readAdminToken,
} from './runner-registration.mjs';
import { ServiceProcess } from './service-process.mjs';

export { ServiceFailedError, StartError };

const runnerContactTimeoutMs = 20_000;

/** The settings `pnpm start` needs itself; everything else reaches the services unchanged. */
export function startSettings(env, cwd) {
  const rawPort = env.GIBBON_PORT?.trim() || '8080';
  if (!/^\d+$/.test(rawPort) || Number(rawPort) > 65535) {
    throw new StartError(
      `GIBBON_PORT=${JSON.stringify(rawPort)} is not a port; use a number from 0 to 65535 (0 picks a free one).`,
    );
  }
  return {
    dataDir: resolve(cwd, env.GIBBON_DATA_DIR?.trim() || '.gibbon-data'),
    port: Number(rawPort),
    host: env.GIBBON_HOST?.trim() || '0.0.0.0',
  };
}

/**
 * Starts both services and resolves with the exit code once they have stopped.
 * @param {{ env: NodeJS.ProcessEnv, cwd: string, repoRoot: string, build: boolean }} options
 */
export async function startGibbon({ env, cwd, repoRoot, build }) {
  const settings = startSettings(env, cwd);
  await checkDataDir(settings.dataDir);
  const port = await checkPort(settings.port, settings.host);
  await checkDocker(env);
  const notes = [];
  const jobNetwork = await chooseJobNetwork(env, notes);
  if (build) await buildServices(repoRoot);
  const scripts = builtScripts(repoRoot);

  const url = `http://localhost:${port}`;
  const localUrl = `http://${settings.host === '0.0.0.0' ? '127.0.0.1' : settings.host}:${port}`;
  const firstStart = (await readAdminToken(settings.dataDir)) === undefined;
  const serviceEnv = {
    ...env,
    GIBBON_DATA_DIR: settings.dataDir,
    GIBBON_PORT: String(port),
    GIBBON_PUBLIC_URL: env.GIBBON_PUBLIC_URL?.trim() || url,
  };
  const api = new ServiceProcess('public-api', scripts.api, serviceEnv, cwd).spawn();
  const stopAll = stopper([api]);
  const client = new ApiClient(localUrl);
  try {
    if (!(await client.waitForHealth(api.exited))) {
      throw serviceFailed(api, `public-api did not answer ${localUrl}/healthz in time.`);
    }
    const registration = await ensureRunnerToken(client, settings.dataDir);
    const runner = new ServiceProcess(
      'build-runner',
      scripts.runner,
      {
        ...serviceEnv,
        GIBBON_SERVER_URL: localUrl,
        GIBBON_RUNNER_TOKEN: registration.token,
        GIBBON_JOB_NETWORK: jobNetwork,
      },
      cwd,
    ).spawn();
    stopAll.services.unshift(runner);
    if (!(await runnerContacted(client, settings.dataDir, registration.id, runner, notes))) {
      throw serviceFailed(runner, 'build-runner stopped at start.');
    }
    const adminToken = firstStart ? await readAdminToken(settings.dataDir) : undefined;
    if (adminToken !== undefined) api.hide(adminToken);
    const adminTokenPath = join(settings.dataDir, adminTokenFileName);
    process.stdout.write(
      banner({ url, dataDir: settings.dataDir, adminToken, adminTokenPath, notes }),
    );
    api.showOutput();
    runner.showOutput();
  } catch (error) {
    await stopAll.now();
    throw error;
  }
  return stopAll.untilDone();
}

/** The service's own one-line reason (`gibbon public-api: ...`), shown as it is. */
function serviceFailed(service, fallback) {
  const line = service.lastErrorLine();
  return line ? new ServiceFailedError(line) : new StartError(fallback);
}

function builtScripts(repoRoot) {
  const api = join(repoRoot, 'services/public-api/dist/main.js');
  const runner = join(repoRoot, 'services/build-runner/dist/main.js');
  for (const script of [api, runner]) {
    if (!existsSync(script)) {
      throw new StartError(
        `${script} is missing; run \`pnpm build\` (or start without --no-build).`,
      );
    }
  }
  return { api, runner };
}

/** Job containers default to Docker's bridge; an engine without one gets `none` (no network). */
async function chooseJobNetwork(env, notes) {
  const chosen = env.GIBBON_JOB_NETWORK?.trim();
  if (chosen) return chosen;
  if (await dockerHasBridge(env)) return 'bridge';
  notes.push(
    'this Docker engine has no bridge network, so job containers run with network "none" (set GIBBON_JOB_NETWORK=host to give them the host\'s).',
  );
  return 'none';
}

/** True once public-api has seen the runner (its first claim); false if it exited first. */
async function runnerContacted(client, dataDir, id, runner, notes) {
  const adminToken = await readAdminToken(dataDir);
  let exited = false;
  void runner.exited.then(() => (exited = true));
  const deadline = Date.now() + runnerContactTimeoutMs;
  while (!exited && Date.now() < deadline) {
    if (adminToken === undefined) return true; // Cannot ask; the runner's own errors will show.
    const seen = await findRunner(client, adminToken, id);
    if (seen?.lastSeenAt) return true;
    await new Promise((done) => setTimeout(done, 1_000));
  }
  if (exited) return false;
  notes.push(
    `build-runner has not reached public-api within ${runnerContactTimeoutMs / 1000} s; its messages follow.`,
  );
  return true;
}

/**
 * Stops the services in order (build-runner first so it can still report to public-api).
 * `untilDone()` resolves with the exit code after a signal or after either service exits; a
 * second Ctrl-C ends them at once.
 */
function stopper(initial) {
  const services = [...initial];
  const stopInOrder = async () => {
    for (const service of services) await service.stop();
  };
  const killAll = () => services.forEach((service) => service.kill());
  return {
    services,
    async now() {
      const timer = setTimeout(killAll, 15_000);
      await stopInOrder();
      clearTimeout(timer);
    },
    untilDone() {
      return new Promise((done) => {
        let stopping = false;
        const onSignal = (signal) => {
          if (stopping) {
            killAll();
            return done(130);
          }
          stopping = true;
          process.stderr.write(`\nStopping Gibbon CI (${signal}); press Ctrl-C again to force.\n`);
          void stopInOrder().then(() => done(0));
        };
        process.on('SIGINT', onSignal);
        process.on('SIGTERM', onSignal);
        for (const service of services) {
          void service.exited.then(({ code, signal }) => {
            if (stopping) return;
            stopping = true;
            process.stderr.write(
              `gibbon: ${service.name} stopped (${signal ?? `exit ${code}`}); stopping the rest.\n`,
            );
            void stopInOrder().then(() => done(1));
          });
        }
      });
    },
  };
}

import { constants } from 'node:fs';
import { access, chmod, readdir, rm, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import Docker from 'dockerode';
import { defaultContainerConfig, DockerBackend, reapContainers } from '@gibbon/engine';
import { preloadScriptApi } from '@gibbon/engine/script-api';
import { openBlobStore, type BlobStore } from '@gibbon/storage';
import { ConfigError, type RunnerConfig } from './config';
import type { Logger } from './logger';
import { defaultBackoff } from './reporting/backoff';
import { RunnerApiClient } from './runner-api/client';
import { EngineExecutor } from './runner/engine-executor';
import { Runner } from './runner/runner';
import { RunnerMetrics } from './metrics/runner-metrics';
import { startMetricsServer, type MetricsServer } from './metrics/metrics-server';
import { checkBoxUsersPass, prepareSandbox } from './sandbox-check';

/** How long the end of a build keeps trying to deliver its last logs, events and result. */
const REPORT_TIMEOUT_MS = 10 * 60_000;

export interface RunnerService {
  runner: Runner;
  /** The metrics server (`GIBBON_METRICS_PORT`), when one was asked for. */
  metrics: MetricsServer | undefined;
  /** Closes the metrics server and the storage client; call after `runner.run()` resolved. */
  close(): Promise<void>;
}

/**
 * Builds the runner from its config: checks the Docker engine, removes what an earlier run
 * of this runner left behind (its labelled containers, its build folders), opens storage.
 */
export async function createRunnerService(
  config: RunnerConfig,
  logger: Logger,
): Promise<RunnerService> {
  const docker = new Docker();
  await pingDocker(docker);
  // Loading express and the request validator now keeps that off the first build.
  await preloadScriptApi();
  const reaped = await reapContainers(docker, { runner: config.runnerId });
  if (reaped.length > 0)
    logger.log('info', 'removed containers of an earlier run', { count: reaped.length });
  const sandbox = await prepareSandbox(config, logger);
  // Boxes of a root runner (a uid each) pass through the work folder to their checkouts.
  await removeBuildFolders(config.workDir, logger, sandbox?.uids ? 0o711 : 0o700);
  if (sandbox?.uids) await checkBoxUsersPass(config.workDir);
  const compileCacheDir = await makeCompileCacheDir(config.dataDir);
  const store = await openStore(config);
  const backend = new DockerBackend(docker, {
    ...defaultContainerConfig,
    runnerId: config.runnerId,
    network: config.jobNetwork,
  });
  const executor = new EngineExecutor({
    workDir: config.workDir,
    compileCacheDir,
    backend,
    network: config.jobNetwork,
    store,
    logger,
    backoff: defaultBackoff,
    logDrainTimeoutMs: REPORT_TIMEOUT_MS,
    jobLogLimitBytes: config.jobLogLimitMb * 1024 * 1024,
    buildDiskLimitBytes: config.buildDiskLimitMb * 1024 * 1024,
    gitHosts: config.gitHosts,
    ...(sandbox ? { sandbox } : {}),
  });
  const metrics = config.metrics && new RunnerMetrics(config.capacity);
  const runner = new Runner({
    api: new RunnerApiClient(config.serverUrl, config.runnerToken),
    executor,
    logger,
    capacity: config.capacity,
    drainTimeoutMs: config.drainTimeoutSeconds * 1000,
    once: config.once,
    backoff: defaultBackoff,
    reportTimeoutMs: REPORT_TIMEOUT_MS,
    ...(metrics ? { metrics } : {}),
  });
  const server = config.metrics && metrics && (await serveMetrics(metrics, config.metrics, store));
  return {
    runner,
    metrics: server,
    async close() {
      await server?.close();
      await store.close();
    },
  };
}

/** Listens for scrapes; a port in use stops the start with one line (and closes storage). */
async function serveMetrics(
  metrics: RunnerMetrics,
  config: NonNullable<RunnerConfig['metrics']>,
  store: BlobStore,
): Promise<MetricsServer> {
  try {
    return await startMetricsServer(metrics.registry, config);
  } catch (error) {
    await store.close();
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new ConfigError(
      `The metrics server cannot listen on ${config.host}:${config.port} (${code}); set GIBBON_METRICS_PORT to a free port or GIBBON_METRICS_HOST to an address of this machine.`,
      { cause: error },
    );
  }
}

async function pingDocker(docker: Docker): Promise<void> {
  try {
    await docker.ping();
  } catch (error) {
    const where = process.env.DOCKER_HOST ?? '/var/run/docker.sock';
    throw new ConfigError(
      `The Docker engine at ${where} is not reachable; start dockerd or point DOCKER_HOST at it.`,
      { cause: error },
    );
  }
}

/**
 * Build folders are deleted after each build; ones still here belong to a run that died. The
 * folder must be this user's to write: a bind mount the host created for root is the usual
 * reason it is not, and every build would fail on it.
 */
async function removeBuildFolders(workDir: string, logger: Logger, mode: number): Promise<void> {
  try {
    await mkdir(workDir, { recursive: true, mode });
    await access(workDir, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    const uid = process.getuid?.() ?? 'this user';
    throw new ConfigError(
      `The work folder ${workDir} is not writable by uid ${uid} (${code}); create it for that user (e.g. install -d -o ${uid} ${workDir}) or set GIBBON_RUNNER_WORK_DIR.`,
      { cause: error },
    );
  }
  const leftovers = (await readdir(workDir)).filter((name) => name.startsWith('build-'));
  const removals = leftovers.map((name) =>
    rm(join(workDir, name), { recursive: true, force: true }),
  );
  for (const removal of await Promise.allSettled(removals)) {
    if (removal.status === 'rejected') {
      const error =
        removal.reason instanceof Error ? removal.reason.message : String(removal.reason);
      logger.log('warn', 'could not remove a build folder of an earlier run', { error });
    }
  }
}

/**
 * The compiled build scripts live in `runner-cache/` of the data folder, which is private:
 * public-api refuses to start when anything in it is open to other users, and the engine
 * would create the folder with the umask's mode. Made here, 0700, before the engine needs it.
 */
async function makeCompileCacheDir(dataDir: string): Promise<string> {
  const cacheRoot = join(dataDir, 'runner-cache');
  try {
    if ((await mkdir(cacheRoot, { recursive: true, mode: 0o700 })) !== undefined) {
      await chmod(cacheRoot, 0o700);
    }
  } catch (error) {
    throw new ConfigError(
      `Cannot create ${cacheRoot} for compiled build scripts (${(error as NodeJS.ErrnoException).code ?? String(error)}); set GIBBON_DATA_DIR to a folder this user can write to.`,
      { cause: error },
    );
  }
  return join(cacheRoot, 'scripts');
}

async function openStore(config: RunnerConfig): Promise<BlobStore> {
  try {
    return await openBlobStore(config.storage);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ConfigError(`Storage (${config.storage.kind}) could not be opened: ${message}`, {
      cause: error,
    });
  }
}

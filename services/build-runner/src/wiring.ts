import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, readdir, rm, mkdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import {
  defaultContainerConfig,
  DockerBackend,
  preloadScriptApi,
  reapContainers,
  type ScriptUser,
} from '@gibbon/engine';
import { openBlobStore, type BlobStore } from '@gibbon/storage';
import { ConfigError, type RunnerConfig } from './config';
import type { Logger } from './logger';
import { defaultBackoff } from './reporting/backoff';
import { RunnerApiClient } from './runner-api/client';
import { EngineExecutor } from './runner/engine-executor';
import { Runner } from './runner/runner';

/** How long the end of a build keeps trying to deliver its last logs, events and result. */
const REPORT_TIMEOUT_MS = 10 * 60_000;

export interface RunnerService {
  runner: Runner;
  /** Closes the storage client; call after `runner.run()` resolved. */
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
  // The Script API's validator is slow to prepare; doing it now keeps it off the first build.
  preloadScriptApi();
  const reaped = await reapContainers(docker, { runner: config.runnerId });
  if (reaped.length > 0)
    logger.log('info', 'removed containers of an earlier run', { count: reaped.length });
  await removeBuildFolders(config.workDir, logger);
  if (config.scriptUser) {
    await findSetpriv();
    await checkScriptUserPasses(config.workDir, config.scriptUser);
  }
  const store = await openStore(config);
  const backend = new DockerBackend(docker, {
    ...defaultContainerConfig,
    runnerId: config.runnerId,
    network: config.jobNetwork,
  });
  const executor = new EngineExecutor({
    workDir: config.workDir,
    compileCacheDir: join(config.dataDir, 'runner-cache', 'scripts'),
    backend,
    network: config.jobNetwork,
    store,
    logger,
    backoff: defaultBackoff,
    logDrainTimeoutMs: REPORT_TIMEOUT_MS,
    ...(config.scriptUser ? { scriptUser: config.scriptUser } : {}),
  });
  const runner = new Runner({
    api: new RunnerApiClient(config.serverUrl, config.runnerToken),
    executor,
    logger,
    capacity: config.capacity,
    drainTimeoutMs: config.drainTimeoutSeconds * 1000,
    backoff: defaultBackoff,
    reportTimeoutMs: REPORT_TIMEOUT_MS,
  });
  return { runner, close: () => store.close() };
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
async function removeBuildFolders(workDir: string, logger: Logger): Promise<void> {
  try {
    await mkdir(workDir, { recursive: true, mode: 0o700 });
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

/** The engine starts scripts of a script user through util-linux's `setpriv`. */
async function findSetpriv(): Promise<void> {
  try {
    await promisify(execFile)('setpriv', ['--version']);
  } catch (error) {
    throw new ConfigError(
      "GIBBON_SCRIPT_USER needs util-linux's setpriv on PATH to start build scripts as that user (Debian: apt-get install util-linux).",
      { cause: error },
    );
  }
}

/**
 * A script user must pass through every folder above its checkout. The work folder itself is
 * the runner's and made passable with each build (EngineExecutor); a parent the user can't
 * pass stops the runner with one line, rather than every build failing on it.
 */
async function checkScriptUserPasses(workDir: string, user: ScriptUser): Promise<void> {
  for (let folder = dirname(workDir); ; folder = dirname(folder)) {
    const { mode, uid, gid } = await stat(folder);
    const passes =
      (mode & 0o001) !== 0 ||
      (uid === user.uid && (mode & 0o100) !== 0) ||
      (gid === user.gid && (mode & 0o010) !== 0);
    if (!passes) {
      const octal = (mode & 0o777).toString(8).padStart(4, '0');
      throw new ConfigError(
        `Build scripts run as ${user.uid}:${user.gid} (GIBBON_SCRIPT_USER), which cannot pass through ${folder} (mode ${octal}) to the work folder ${workDir}; allow it (chmod o+x ${folder}) or set GIBBON_RUNNER_WORK_DIR to a folder under one it can pass.`,
      );
    }
    if (dirname(folder) === folder) return;
  }
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

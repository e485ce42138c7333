import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { BuildContext } from '@gibbon/contracts';
import { SCRIPT_LOG_ID } from '@gibbon/contracts/core';
import type { BlobStore } from '@gibbon/storage';
import type { ContainerBackend } from '../containers/backend';
import type { JobNetwork } from '../containers/types';
import { JobLog } from '../logs/job-log';
import type { LogSink } from '../logs/log-sink';
import { Masker } from '../masking/masker';
import type { JobRecord, ScriptEventListener } from '../script-api/build-session';
import type { JobFiles } from '../script-api/job-files';
import {
  openScriptApi,
  type OpenScriptApi,
  type OpenScriptApiOptions,
} from '../script-api/open-script-api';
import type { ParamProvider } from '../script-api/params';
import type { ScriptApiListen } from '../script-api/server';
import { buildVerdict, type BuildVerdict } from './build-status';
import { prepareScript } from './prepare-script';
import { runScriptProcess } from './script-process';

export { SCRIPT_LOG_ID };

export interface RunBuildOptions {
  checkoutDir: string;
  context: BuildContext;
  params: ParamProvider;
  backend: ContainerBackend;
  /** The engine's job network (`GIBBON_JOB_NETWORK`). */
  network: JobNetwork;
  logSink: LogSink;
  /** Build-private scratch space (the script's HOME, the API socket); emptied afterwards. */
  workDir: string;
  /** Compiled scripts by content hash; may be shared by builds. */
  compileCacheDir: string;
  signal?: AbortSignal;
  store?: BlobStore;
  files?: JobFiles;
  /** Seconds; the whole build, script and jobs. Default one hour. */
  timeoutSeconds?: number;
  /** Milliseconds between SIGTERM and SIGKILL of the script. Default 10 s. */
  scriptGraceMs?: number;
  /** Seconds between `docker stop`'s SIGTERM and SIGKILL. Default 10 s. */
  stopGraceSeconds?: number;
  listen?: ScriptApiListen;
  onEvent?: ScriptEventListener;
  /** The build's masker, when the caller wants to register secrets of its own. */
  masker?: Masker;
}

export interface BuildOutcome extends BuildVerdict {
  jobs: JobRecord[];
}

function apiOptions(
  options: RunBuildOptions,
  masker: Masker,
  signal: AbortSignal,
  timeoutSeconds: number,
): OpenScriptApiOptions {
  return {
    context: options.context,
    checkoutDir: options.checkoutDir,
    masker,
    params: options.params,
    logSink: options.logSink,
    backend: options.backend,
    network: options.network,
    stopGraceSeconds: options.stopGraceSeconds ?? 10,
    signal,
    tokenLifetimeSeconds: timeoutSeconds,
    listen: options.listen ?? { kind: 'socket', folder: options.workDir },
    ...(options.store ? { store: options.store } : {}),
    ...(options.files ? { files: options.files } : {}),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
  };
}

/**
 * Runs one build: locate and compile the build file, serve it the Script API, run it as a
 * child process, and report the build status with every job's outcome. Never throws for
 * anything the repository or the script does; those end the build as `error`.
 */
export async function runBuild(options: RunBuildOptions): Promise<BuildOutcome> {
  const masker = options.masker ?? new Masker();
  const scriptLog = new JobLog(SCRIPT_LOG_ID, masker, options.logSink);
  const timeoutSeconds = options.timeoutSeconds ?? 3600;
  const timeout = AbortSignal.timeout(timeoutSeconds * 1000);
  const signal = AbortSignal.any(options.signal ? [options.signal, timeout] : [timeout]);
  // Compiling the script and opening its API don't depend on each other: the API's first
  // open in a process loads express and builds the request validator (hundreds of ms), which
  // overlaps the fingerprint's reads and a compile in esbuild's own process.
  const preparing = prepareScript(options).then(
    (bundlePath) => ({ bundlePath }),
    (error: unknown) => ({ error }),
  );
  const homeDir = await mkdtemp(join(options.workDir, 'home-'));
  const opening = openScriptApi(apiOptions(options, masker, signal, timeoutSeconds));
  // Handled here so a failure while the compile is awaited is not an unhandled rejection;
  // it is still thrown below, where `opening` is awaited.
  opening.catch(() => undefined);
  const prepared = await preparing;
  if ('error' in prepared) {
    // The build never starts: the API (if it opened) is closed, its key discarded.
    await opening.then((api) => api.close()).catch(() => undefined);
    await rm(homeDir, { recursive: true, force: true });
    const message =
      prepared.error instanceof Error ? prepared.error.message : String(prepared.error);
    scriptLog.system(message);
    scriptLog.close();
    return { status: 'error', message, jobs: [] };
  }
  const { bundlePath } = prepared;
  let api: OpenScriptApi;
  try {
    api = await opening;
  } catch (error) {
    scriptLog.close();
    await rm(homeDir, { recursive: true, force: true });
    throw error;
  }
  try {
    const exit = await runScriptProcess({
      bundlePath,
      cwd: options.checkoutDir,
      apiUrl: api.url,
      apiToken: api.token,
      homeDir,
      log: scriptLog,
      signal,
      graceMs: options.scriptGraceMs ?? 10_000,
    });
    const stoppedBy = timeout.aborted ? 'timeout' : options.signal?.aborted ? 'cancel' : undefined;
    // Jobs still running end (their containers removed) before the outcome is read.
    await api.close();
    api.session.finishOpenJobs(stoppedBy !== undefined);
    const verdict = buildVerdict(api.session, exit, stoppedBy);
    if (verdict.message) scriptLog.system(verdict.message);
    return { ...verdict, jobs: api.session.jobRecords() };
  } finally {
    await api.close();
    api.session.closeLogs();
    scriptLog.close();
    await rm(homeDir, { recursive: true, force: true });
  }
}

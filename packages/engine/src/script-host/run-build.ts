import { anySignal } from '../abort/any-signal';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { BuildContext } from '@gibbon/contracts';
import { SCRIPT_LOG_ID } from '@gibbon/contracts';
import type { BlobStore } from '@gibbon/storage';
import type { ContainerBackend } from '../containers/backend';
import type { JobNetwork } from '../containers/types';
import { JobLog } from '../logs/job-log';
import type { LogSink } from '../logs/log-sink';
import { Masker } from '../masking/masker';
import type { ApprovalSource } from '../script-api/approvals';
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
import type { BoxCgroup } from '../sandbox/box-cgroups';
import { startDiskGuard, type DiskGuard } from '../sandbox/disk-guard';
import {
  boxNetworkOf,
  bundleInHome,
  handOverToBoxUser,
  type ScriptSandbox,
} from '../sandbox/script-sandbox';
import { runScriptProcess, type ScriptProcessOptions } from './script-process';
import type { ScriptUser } from './script-user';

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
  /**
   * Decisions on jobs marked `approval` (the runner's from public-api, `gibbon run`'s from its
   * flags). Without it a job that waits for approval ends `error`, saying nothing can approve it.
   */
  approvals?: ApprovalSource;
  /** Bytes each job's log (and the script's) keeps; past it one line says so. Default 1 GiB. */
  jobLogLimitBytes?: number;
  /** The build's masker, when the caller wants to register secrets of its own. */
  masker?: Masker;
  /**
   * Run the script, and all it starts, in a box (docs/adr/0004-script-sandbox.md). With a uid
   * pool (a root runner), the build's checkout, HOME and API socket are handed to its own uid,
   * and `workDir` and the folders above the checkout must let it pass (mode 0711). Without a
   * sandbox the script runs as this process's user and sees what it sees (`gibbon run`).
   */
  sandbox?: ScriptSandbox;
  /**
   * Bytes the build's folders (its checkout and `workDir`, HOME included) may take on disk;
   * past it the build is stopped and fails saying so (`disk-guard.ts`). Default: no limit.
   */
  diskLimitBytes?: number;
  /**
   * The repository lets its untrusted builds have a network (its `untrustedNetwork` setting):
   * the box gets the machine's network and the jobs `network`, as a trusted build's do.
   * Default false: an untrusted build's script and containers have no network at all.
   */
  untrustedNetwork?: boolean;
}

export interface BuildOutcome extends BuildVerdict {
  jobs: JobRecord[];
}

/** Untrusted builds' containers get no network unless the repository allows it. */
function jobNetwork(options: RunBuildOptions): JobNetwork {
  if (options.context.build.trusted) return options.network;
  return options.untrustedNetwork ? options.network : 'none';
}

function apiOptions(
  options: RunBuildOptions,
  boxUser: ScriptUser | undefined,
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
    ...(options.jobLogLimitBytes ? { jobLogLimitBytes: options.jobLogLimitBytes } : {}),
    backend: options.backend,
    network: jobNetwork(options),
    stopGraceSeconds: options.stopGraceSeconds ?? 10,
    signal,
    tokenLifetimeSeconds: timeoutSeconds,
    listen: listenFor(options, boxUser),
    ...(options.store ? { store: options.store } : {}),
    ...(options.files ? { files: options.files } : {}),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    ...(options.approvals ? { approvals: options.approvals } : {}),
    // Not the script's HOME: the box sees HOME, never the rest of workDir.
    outputsRoot: options.workDir,
  };
}

function listenFor(options: RunBuildOptions, owner: ScriptUser | undefined): ScriptApiListen {
  const listen = options.listen ?? { kind: 'socket', folder: options.workDir };
  return listen.kind === 'socket' && owner ? { ...listen, owner } : listen;
}

/** The box of the script process, when the build has a sandbox. */
function boxOf(
  options: RunBuildOptions,
  apiUrl: string,
  boxUser: ScriptUser | undefined,
  cgroup: BoxCgroup | undefined,
): ScriptProcessOptions['box'] {
  if (!options.sandbox) return undefined;
  // The pids group counts the box's processes where it has one; else the lent uid's RLIMIT_NPROC.
  const pids = cgroup ? undefined : options.sandbox.limits?.pids;
  return {
    network: boxNetworkOf(options.context.build.trusted, options.untrustedNetwork ?? false),
    ...(apiUrl.startsWith('unix:') ? { socketPath: apiUrl.slice('unix:'.length) } : {}),
    ...(boxUser ? { user: boxUser, ...(pids ? { pids } : {}) } : {}),
    ...(cgroup ? { cgroupProcs: cgroup.procsFiles } : {}),
  };
}

/** The control groups of a box that runs under a lent uid, where the runner can make them. */
function boxCgroupOf(sandbox: ScriptSandbox | undefined, uid: number | undefined) {
  if (uid === undefined || !sandbox?.cgroups || !sandbox.limits) return undefined;
  return sandbox.cgroups.create(`box-${uid}`, sandbox.limits);
}

/**
 * A limit the box hit is said in the build's message when it failed (the message goes to the
 * script's log too), else in the script's log only.
 */
async function withLimitsHit(
  verdict: BuildVerdict,
  cgroup: BoxCgroup | undefined,
  scriptLog: JobLog,
): Promise<BuildVerdict> {
  const hit = (await cgroup?.report()) ?? [];
  if (hit.length === 0) return verdict;
  if (verdict.status !== 'success') {
    return { ...verdict, message: [verdict.message, ...hit].filter(Boolean).join(' ') };
  }
  for (const line of hit) scriptLog.system(line);
  return verdict;
}

const MIB = 1024 * 1024;

/** Stops the build through `stop` once its folders take more than its disk limit. */
function guardDisk(options: RunBuildOptions, stop: AbortController): DiskGuard | undefined {
  const limitBytes = options.diskLimitBytes;
  if (!limitBytes) return undefined;
  return startDiskGuard({
    folders: [options.checkoutDir, options.workDir],
    limitBytes,
    onExceeded: (used) =>
      stop.abort(
        `The build was stopped: its checkout and work folder took ${Math.round(used / MIB)} MiB of disk, more than the ${Math.round(limitBytes / MIB)} MiB it may use (GIBBON_BUILD_DISK_MB).`,
      ),
  });
}

/**
 * Runs one build: locate and compile the build file, serve it the Script API, run it as a
 * child process, and report the build status with every job's outcome. Never throws for
 * anything the repository or the script does; those end the build as `error`.
 */
export async function runBuild(options: RunBuildOptions): Promise<BuildOutcome> {
  const lent = await options.sandbox?.uids?.lend();
  let cgroup: BoxCgroup | undefined;
  try {
    cgroup = await boxCgroupOf(options.sandbox, lent?.user.uid);
    return await runBuildAs(options, lent?.user, cgroup);
  } finally {
    await cgroup?.remove();
    await lent?.release();
  }
}

async function runBuildAs(
  options: RunBuildOptions,
  boxUser: ScriptUser | undefined,
  cgroup: BoxCgroup | undefined,
): Promise<BuildOutcome> {
  const masker = options.masker ?? new Masker();
  const scriptLog = new JobLog(SCRIPT_LOG_ID, masker, options.logSink, options.jobLogLimitBytes);
  const timeoutSeconds = options.timeoutSeconds ?? 3600;
  const timeout = AbortSignal.timeout(timeoutSeconds * 1000);
  const diskFull = new AbortController();
  const signal = anySignal([options.signal, timeout, diskFull.signal]);
  // Compiling the script and opening its API don't depend on each other: the API's first
  // open in a process loads express and builds the request validator (hundreds of ms), which
  // overlaps the fingerprint's reads and a compile in esbuild's own process.
  const preparing = prepareScript(options).then(
    (bundlePath) => ({ bundlePath }),
    (error: unknown) => ({ error }),
  );
  const homeDir = await mkdtemp(join(options.workDir, 'home-'));
  const opening = openScriptApi(apiOptions(options, boxUser, masker, signal, timeoutSeconds));
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
    return { status: 'error', message: masker.mask(message), jobs: [] };
  }
  let { bundlePath } = prepared;
  let api: OpenScriptApi;
  try {
    api = await opening;
    // The script's own token is a secret like any other: a script that prints its
    // environment shows `***`.
    masker.register(api.token);
    if (boxUser) {
      const folders = { workDir: options.workDir, checkoutDir: options.checkoutDir, homeDir };
      bundlePath = await handOverToBoxUser(boxUser, folders, bundlePath);
    } else if (options.sandbox) {
      bundlePath = await bundleInHome(bundlePath, homeDir);
    }
  } catch (error) {
    await opening.then((opened) => opened.close()).catch(() => undefined);
    scriptLog.close();
    await rm(homeDir, { recursive: true, force: true });
    throw error;
  }
  const guard = guardDisk(options, diskFull);
  try {
    const exiting = runScriptProcess({
      bundlePath,
      cwd: options.checkoutDir,
      apiUrl: api.url,
      apiToken: api.token,
      homeDir,
      log: scriptLog,
      signal,
      graceMs: options.scriptGraceMs ?? 10_000,
      box: boxOf(options, api.url, boxUser, cgroup),
    });
    // The process is started: express and the validator get ready while node starts it.
    api.prepare();
    const exit = await exiting;
    const stoppedBy = timeout.aborted
      ? 'timeout'
      : options.signal?.aborted || diskFull.signal.aborted
        ? 'cancel'
        : undefined;
    // Jobs still running end (their containers removed) before the outcome is read.
    await api.close();
    api.session.finishOpenJobs(stoppedBy !== undefined);
    const stopped = diskFull.signal.aborted
      ? { status: 'failure' as const, message: String(diskFull.signal.reason) }
      : buildVerdict(api.session, exit, stoppedBy);
    const verdict = await withLimitsHit(stopped, cgroup, scriptLog);
    // The script prints its own verdict's message on its stderr, which is this log already.
    const ownMessage = api.session.scriptVerdict()?.message;
    if (verdict.message && verdict.message !== ownMessage) scriptLog.system(verdict.message);
    return { ...verdict, jobs: api.session.jobRecords() };
  } finally {
    guard?.stop();
    await api.close();
    api.session.closeLogs();
    scriptLog.close();
    await rm(homeDir, { recursive: true, force: true });
  }
}

import { spawn } from 'node:child_process';
import type { JobLog } from '../logs/job-log';
import type { ScriptUser } from './script-user';

/** The default PATH when the runner itself has none. */
const FALLBACK_PATH = '/usr/local/bin:/usr/bin:/bin';
/** Script output beyond this is dropped (with one note): a runaway script can't fill the disk. */
export const DEFAULT_MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

export interface ScriptProcessOptions {
  bundlePath: string;
  cwd: string;
  apiUrl: string;
  apiToken: string;
  /** A build-private folder: the script's HOME. */
  homeDir: string;
  /** Where stdout and stderr go, line by line, masked. */
  log: JobLog;
  signal: AbortSignal;
  /** Milliseconds between SIGTERM and SIGKILL of the process group. */
  graceMs: number;
  maxOutputBytes?: number;
  /** Run as this user (the runner must be root); by default, as the runner's own user. */
  user?: ScriptUser;
}

export interface ScriptProcessResult {
  exitCode: number | null;
  /** The signal that ended the process, when one did. */
  signal: NodeJS.Signals | null;
  /** True when the process was ended because `signal` was aborted. */
  aborted: boolean;
}

/**
 * The script's whole environment. Nothing of the runner's own environment is passed on
 * except PATH: its tokens, cloud credentials and NODE_OPTIONS never reach user code.
 */
export function scriptEnvironment(apiUrl: string, apiToken: string, homeDir: string) {
  return {
    GIBBON_API_URL: apiUrl,
    GIBBON_API_TOKEN: apiToken,
    PATH: process.env.PATH ?? FALLBACK_PATH,
    HOME: homeDir,
  };
}

/**
 * `node <bundle>`, or with a script user, util-linux's `setpriv` switching to that uid and gid
 * with no supplementary group and no_new_privs, then exec'ing node. no_new_privs is what Node's
 * own uid/gid options can't give: a set-uid file that a container job (root in its container)
 * left in the checkout would otherwise run as root here.
 */
function scriptCommand(bundlePath: string, user?: ScriptUser): [string, string[]] {
  if (!user) return [process.execPath, [bundlePath]];
  const switchUser = [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups'];
  return ['setpriv', [...switchUser, '--no-new-privs', '--', process.execPath, bundlePath]];
}

/** Signals the whole process group; a group already gone is fine. */
function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: every process of the group has ended.
  }
}

/**
 * Runs the compiled build script as `node <bundle>`: no shell, its own process group
 * (`detached`), an allowlisted environment, output captured to the log up to a cap. When
 * `signal` aborts: SIGTERM to the group, then SIGKILL after the grace period. Once the main
 * process has exited, the rest of its group is killed too, so no child outlives the build.
 */
export function runScriptProcess(options: ScriptProcessOptions): Promise<ScriptProcessResult> {
  const { log, signal, graceMs } = options;
  const maxOutput = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  const [command, args] = scriptCommand(options.bundlePath, options.user);
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: scriptEnvironment(options.apiUrl, options.apiToken, options.homeDir),
    detached: true,
    shell: false,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let written = 0;
  const capture = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
    if (written >= maxOutput) return;
    const kept = chunk.subarray(0, maxOutput - written);
    written += kept.length;
    log.output(stream).write(kept);
    if (written >= maxOutput) log.system(`Output beyond ${maxOutput} bytes was dropped.`);
  };
  child.stdout.on('data', capture('stdout'));
  child.stderr.on('data', capture('stderr'));

  let killTimer: NodeJS.Timeout | undefined;
  const terminate = () => {
    if (child.pid === undefined) return;
    signalGroup(child.pid, 'SIGTERM');
    const pid = child.pid;
    killTimer = setTimeout(() => signalGroup(pid, 'SIGKILL'), graceMs);
  };
  if (signal.aborted) terminate();
  else signal.addEventListener('abort', terminate, { once: true });

  return new Promise((resolve, reject) => {
    child.once('error', (error) => {
      signal.removeEventListener('abort', terminate);
      reject(error);
    });
    // A background child could hold the output pipes open forever: kill the group at exit,
    // then wait for the pipes to close so no output is lost.
    child.once('exit', () => {
      if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
    });
    child.once('close', (exitCode, exitSignal) => {
      signal.removeEventListener('abort', terminate);
      clearTimeout(killTimer);
      log.endOutputs();
      resolve({ exitCode, signal: exitSignal, aborted: signal.aborted });
    });
  });
}

import { spawn, type ChildProcess } from 'node:child_process';
import { Readable } from 'node:stream';
import type { JobLog } from '../logs/job-log';
import { boxCommand } from '../sandbox/box-command';
import { readBoxNamespace, signalBox } from '../sandbox/box-processes';
import type { BoxSpec } from '../sandbox/box-spec';

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
  /**
   * Run the script in this box (docs/adr/0004-script-sandbox.md); without one, it runs as a
   * plain child of this process, with this process's user and view of the machine.
   */
  box?: Omit<BoxSpec, 'bundlePath' | 'checkoutDir' | 'homeDir'>;
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

/** `node <bundle>`, in its box when it has one. */
function scriptCommand(options: ScriptProcessOptions): [string, string[]] {
  const node = [process.execPath, options.bundlePath];
  if (!options.box) return [node[0]!, node.slice(1)];
  const { bundlePath, cwd: checkoutDir, homeDir } = options;
  return boxCommand({ ...options.box, bundlePath, checkoutDir, homeDir }, node);
}

/** The child's output pipes, and bwrap's info pipe when it has one. */
function pipesOf(child: ChildProcess): { stdout: Readable; stderr: Readable; info?: Readable } {
  const { stdout, stderr } = child;
  const info = child.stdio[3];
  if (!stdout || !stderr) throw new Error('The build script was started without output pipes.');
  return { stdout, stderr, ...(info instanceof Readable ? { info } : {}) };
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
 * SIGTERM to the script and all it started. Outside a box that is its process group; in a
 * box, every process of the box's pid namespace (a `setsid` child has left the group, not the
 * box). SIGKILL of bwrap, later, ends the box whole: its init dies with bwrap, and the kernel
 * kills every process of a namespace whose init is gone.
 */
async function sendTerm(child: ChildProcess, boxNamespace: Promise<string | undefined> | undefined) {
  if (child.pid === undefined) return;
  const namespace = boxNamespace ? await boxNamespace : undefined;
  if (namespace) await signalBox(namespace, 'SIGTERM');
  else signalGroup(child.pid, 'SIGTERM');
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
  const [command, args] = scriptCommand(options);
  const common = {
    cwd: options.cwd,
    env: scriptEnvironment(options.apiUrl, options.apiToken, options.homeDir),
    detached: true,
    shell: false,
  };
  // A box's fourth descriptor is bwrap's --info-fd: the box's pid namespace.
  const child = options.box
    ? spawn(command, args, { ...common, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] })
    : spawn(command, args, { ...common, stdio: ['ignore', 'pipe', 'pipe'] });
  const pipes = pipesOf(child);
  const boxNamespace = pipes.info ? readBoxNamespace(pipes.info) : undefined;
  let written = 0;
  const capture = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
    if (written >= maxOutput) return;
    const kept = chunk.subarray(0, maxOutput - written);
    written += kept.length;
    log.output(stream).write(kept);
    if (written >= maxOutput) log.system(`Output beyond ${maxOutput} bytes was dropped.`);
  };
  pipes.stdout.on('data', capture('stdout'));
  pipes.stderr.on('data', capture('stderr'));

  let killTimer: NodeJS.Timeout | undefined;
  const terminate = () => {
    if (child.pid === undefined) return;
    const pid = child.pid;
    void sendTerm(child, boxNamespace);
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

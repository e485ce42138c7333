/**
 * `job.sh(argv)`: one command as argv (never a shell string), its output line by line to the
 * job's log. The command gets its own process group so an abort stops everything it started:
 * SIGTERM to the group, then SIGKILL after a grace period.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { InputError } from '../contracts';
import { OutputLines } from './output-lines';

export const SH_KILL_GRACE_MS = 5_000;

/** A command that exited non-zero or was killed; `exitCode` is what the job reports. */
export class CommandFailedError extends Error {
  constructor(
    readonly command: string,
    readonly exitCode: number,
    signal: NodeJS.Signals | null,
  ) {
    super(
      signal === null
        ? `${command} exited with code ${exitCode}.`
        : `${command} was ended by ${signal} (exit code ${exitCode}).`,
    );
    this.name = 'CommandFailedError';
  }
}

export interface RunCommandOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly signal: AbortSignal;
  readonly onLine: (line: string) => void;
  /** Backpressure: while it returns a promise, output is paused until it settles. */
  readonly waitForRoom?: () => Promise<void> | undefined;
}

/** Shows argv the way a user would type it, for the `$ …` line in the log. */
export function displayArgv(argv: readonly string[]): string {
  return argv.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : JSON.stringify(arg))).join(' ');
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

export function runCommand(argv: readonly string[], options: RunCommandOptions): Promise<void> {
  const [file, ...args] = argv;
  if (file === undefined || file === '' || !argv.every((arg) => typeof arg === 'string')) {
    return Promise.reject(
      new InputError('job.sh() needs an argv array of strings, e.g. job.sh(["npm", "test"]).'),
    );
  }
  if (options.signal.aborted) return Promise.reject(options.signal.reason as Error);
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = (): void => {
      if (child.pid === undefined) return;
      killGroup(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => killGroup(child.pid as number, 'SIGKILL'), SH_KILL_GRACE_MS);
    };
    options.signal.addEventListener('abort', onAbort, { once: true });
    let paused = false;
    const onLine = (line: string): void => {
      options.onLine(line);
      const room = paused ? undefined : options.waitForRoom?.();
      if (!room) return;
      paused = true;
      readers.forEach((reader) => reader.pause());
      void room.then(() => {
        paused = false;
        readers.forEach((reader) => reader.resume());
      });
    };
    const readers = [child.stdout, child.stderr].map((input) => new OutputLines(input, onLine));
    const streams = readers.map((reader) => reader.closed);
    child.once('error', (error) => {
      options.signal.removeEventListener('abort', onAbort);
      reject(
        new InputError(`job.sh() could not start ${file}: ${error.message}`, { cause: error }),
      );
    });
    child.once('close', (code, signal) => {
      options.signal.removeEventListener('abort', onAbort);
      clearTimeout(killTimer);
      void Promise.all(streams).then(() => {
        if (options.signal.aborted) return reject(options.signal.reason as Error);
        if (code === 0) return resolve();
        reject(
          new CommandFailedError(
            file,
            code ?? 128 + (signal ? constants.signals[signal] : 0),
            signal,
          ),
        );
      });
    });
  });
}

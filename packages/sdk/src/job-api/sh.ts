/**
 * `job.sh(argv)`: one command as argv (never a shell string), its output line by line to the
 * job's log. An abort (cancel, timeout) stops everything the command started: SIGTERM, then
 * SIGKILL after a grace period, each to its own process group and to every process carrying
 * its mark or descending from one (processes that left the group with `setsid` or `nohup`).
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { InputError } from '../contracts';
import { COMMAND_MARK_VARIABLE, newCommandMark, signalCommand } from './command-processes';
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

export function runCommand(argv: readonly string[], options: RunCommandOptions): Promise<void> {
  const [file, ...args] = argv;
  if (file === undefined || file === '' || !argv.every((arg) => typeof arg === 'string')) {
    return Promise.reject(
      new InputError('job.sh() needs an argv array of strings, e.g. job.sh(["npm", "test"]).'),
    );
  }
  if (options.signal.aborted) return Promise.reject(options.signal.reason as Error);
  const mark = newCommandMark();
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: { ...options.env, [COMMAND_MARK_VARIABLE]: mark },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let exited = false;
    child.once('exit', () => (exited = true));
    const onAbort = (): void => {
      const pid = child.pid;
      if (pid === undefined) return;
      signalCommand(pid, mark, 'SIGTERM');
      // After the grace, whatever of the command still runs is killed, even once its first
      // process has exited (a `nohup`'d child that ignores SIGTERM outlives it).
      const kill = setTimeout(
        () => signalCommand(exited ? undefined : pid, mark, 'SIGKILL'),
        SH_KILL_GRACE_MS,
      );
      kill.unref();
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

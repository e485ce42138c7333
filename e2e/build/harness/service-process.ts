import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '../../..');

export type ServiceName = 'public-api' | 'build-runner';

/**
 * An unprivileged user a service runs as (util-linux's setpriv), from `repoView`: the
 * repository bound at a path every user can pass through (the checkout may lie under a folder
 * only root can pass, such as /root).
 */
export interface ServiceUser {
  readonly uid: number;
  readonly gid: number;
  /** Supplementary groups (e.g. the Docker socket's). */
  readonly groups: readonly number[];
  readonly repoView: string;
}

export interface ExitState {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/**
 * One service started as a user would: `node --conditions=@gibbon/source --import tsx
 * src/main.ts` in the service's folder, with its stdout and stderr appended to a log file.
 * Lifecycle: `start()` → (`waitForOutput()`)* → `stop()` or `kill()`; `kill()` is safe to call
 * at any time, also after the process has exited, so `afterAll` can always call it.
 */
export class ServiceProcess {
  readonly exited: Promise<ExitState>;
  private readonly child: ChildProcess;
  private readonly log: WriteStream;
  private output = '';

  private constructor(
    readonly name: ServiceName,
    readonly logFile: string,
    env: NodeJS.ProcessEnv,
    user: ServiceUser | undefined,
  ) {
    this.log = createWriteStream(logFile, { flags: 'a' });
    const node = [
      process.execPath,
      '--conditions=@gibbon/source',
      '--import',
      'tsx',
      'src/main.ts',
    ];
    const [command, ...args] = user
      ? [
          'setpriv',
          `--reuid=${user.uid}`,
          `--regid=${user.gid}`,
          user.groups.length > 0 ? `--groups=${user.groups.join(',')}` : '--clear-groups',
          '--',
          ...node,
        ]
      : node;
    this.child = spawn(command!, args, {
      cwd: join(user?.repoView ?? repoRoot, 'services', name),
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const collect = (chunk: Buffer) => {
      this.output += chunk.toString();
      this.log.write(chunk);
    };
    this.child.stdout?.on('data', collect);
    this.child.stderr?.on('data', collect);
    this.exited = new Promise((done) =>
      this.child.once('exit', (code, signal) => {
        this.log.end(`\n[harness] ${name} exited: code ${code}, signal ${signal}\n`);
        done({ code, signal });
      }),
    );
  }

  /** Starts the service; with `user`, as that unprivileged user (setpriv execs node: same pid). */
  static start(
    name: ServiceName,
    logFile: string,
    env: NodeJS.ProcessEnv,
    user?: ServiceUser,
  ): ServiceProcess {
    return new ServiceProcess(name, logFile, env, user);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves once this start's output contains `text`; rejects (with the output) on exit or timeout. */
  async waitForOutput(text: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.output.includes(text)) {
      if (!this.running || Date.now() > deadline) {
        const why = this.running ? `${timeoutMs} ms passed` : 'it exited';
        throw new Error(`${this.name}: "${text}" did not appear before ${why}:\n${this.output}`);
      }
      await new Promise((done) => setTimeout(done, 50));
    }
  }

  /** A graceful stop (SIGTERM), resolved when the process has exited. */
  async stop(): Promise<ExitState> {
    if (this.running) this.child.kill('SIGTERM');
    return this.exited;
  }

  /** `kill -9`: no cleanup of any kind runs in the service. */
  async kill(): Promise<ExitState> {
    if (this.running) this.child.kill('SIGKILL');
    return this.exited;
  }
}

/** Every log file's text, headed by its name: printed when a test fails. */
export async function readLogs(files: readonly string[]): Promise<string> {
  const parts = await Promise.all(
    files.map(async (file) => `===== ${file}\n${await readFile(file, 'utf8').catch(String)}`),
  );
  return parts.join('\n');
}

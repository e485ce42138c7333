import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '../..');
const startScript = join(repoRoot, 'scripts/start.mjs');
const gibbonCli = join(repoRoot, 'packages/cli/bin/gibbon.mjs');

/** How the system is started: `pnpm start` runs `node scripts/start.mjs` in the repository. */
export type StartCommand =
  { readonly via: 'pnpm start' } | { readonly via: 'gibbon server'; readonly cwd: string };

/**
 * `node scripts/start.mjs` as a user runs it (`pnpm start` runs exactly this), or the CLI's
 * `gibbon server` in a folder of the user's, with its output collected. Lifecycle: `launch()` →
 * `waitFor(text)` → `signal()` → `exited`; `kill()` is the cleanup of last resort and is safe to
 * call after it has exited.
 */
export class StartProcess {
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;

  private constructor(args: readonly string[], env: NodeJS.ProcessEnv, command: StartCommand) {
    const [program, cwd] =
      command.via === 'pnpm start'
        ? [[startScript], repoRoot]
        : [[gibbonCli, 'server'], command.cwd];
    this.child = spawn(process.execPath, [...program, ...args], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    this.child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((done) =>
      this.child.once('exit', (code, signal) => done({ code, signal })),
    );
  }

  static launch(
    env: NodeJS.ProcessEnv,
    args: readonly string[] = [],
    command: StartCommand = { via: 'pnpm start' },
  ): StartProcess {
    return new StartProcess(args, env, command);
  }

  get output(): string {
    return this.stdout + this.stderr;
  }

  /** Resolves once stdout+stderr contain `text`; rejects with the output so far otherwise. */
  async waitFor(text: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let ended = false;
    void this.exited.then(() => (ended = true));
    while (!this.output.includes(text)) {
      if (ended || Date.now() > deadline) {
        const why = ended ? 'it exited' : `${timeoutMs} ms passed`;
        throw new Error(`"${text}" did not appear before ${why}; output:\n${this.output}`);
      }
      await new Promise((done) => setTimeout(done, 100));
    }
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

/** The environment of one start: a data folder and port of its own, no bridge assumption. */
export function startEnv(dataDir: string, port: number, extra: NodeJS.ProcessEnv = {}) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GIBBON_DATA_DIR: dataDir,
    GIBBON_PORT: String(port),
  };
  // The test's own settings must not leak into the services.
  delete env.GIBBON_DATABASE_URL;
  delete env.GIBBON_STORAGE;
  return { ...env, ...extra };
}

/**
 * Pids of live processes whose environment holds `GIBBON_DATA_DIR=<dataDir>`: `pnpm start`
 * and the two services it spawned. Linux only (/proc); the tests run on Linux.
 */
export async function processesUsing(dataDir: string): Promise<number[]> {
  const marker = `GIBBON_DATA_DIR=${dataDir}\0`;
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const environ = await readFile(`/proc/${entry}/environ`, 'utf8').catch(() => '');
    const state = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // A zombie has no environment left to match; a live one whose env matches is ours.
    if (environ.includes(marker) && !/\) Z /.test(state)) pids.push(Number(entry));
  }
  return pids;
}

import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const launcher = join(__dirname, '..', 'bin', 'gibbon.mjs');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd: string;
  env?: Record<string, string>;
  /** The `gibbon` bin to start (an installed copy's); the workspace's bin/gibbon.mjs if unset. */
  launcher?: string;
  /** Piped to its stdin, which is then closed; unset, stdin is /dev/null. */
  input?: string;
}

/** The CLI's environment in tests: the sources (not a stale dist/) and no bridge network. */
function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, GIBBON_CLI_FROM_SOURCE: '1', GIBBON_JOB_NETWORK: 'none', ...extra };
}

/**
 * Starts `gibbon <args>` as a user would (the bin, a child process, its own process group so
 * a test can send Ctrl-C to the group like a terminal does).
 */
export function startCli(
  args: string[],
  options: CliOptions,
): {
  child: ChildProcess;
  result: Promise<CliResult>;
  output: () => string;
} {
  const child = spawn(process.execPath, [options.launcher ?? launcher, ...args], {
    cwd: options.cwd,
    env: cliEnv(options.env),
    detached: true,
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  if (options.input !== undefined) child.stdin?.end(options.input);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const result = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { child, result, output: () => stdout + stderr };
}

export function runCliProcess(args: string[], options: CliOptions): Promise<CliResult> {
  return startCli(args, options).result;
}

/** Resolves once `predicate` holds for the output so far; rejects after `timeoutMs`. */
export async function waitForOutput(
  output: () => string,
  predicate: (text: string) => boolean,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate(output())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting; output so far:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Runs jest as a child process of the CLI, from the CLI's own dependencies, with a generated
 * configuration. Its output goes to the command's streams as it comes; Ctrl-C (the command's
 * signal) stops it. Lifecycle: one call, one jest process, settled when that process has ended.
 */
import { spawn } from 'node:child_process';
import type { ExitCode, Io } from '../io';
import type { PipelineTestConfig } from './jest-config';

/**
 * Jest ends with 0 (all passed) or 1 (a test failed); stopped by Ctrl-C counts as 1, like a
 * canceled `gibbon run`; anything else (a crash, killed from outside) is an error.
 */
function exitCodeOf(code: number | null, canceled: boolean): ExitCode {
  if (code === 0 || code === 1) return code;
  return canceled ? 1 : 2;
}

export function runJest(
  config: PipelineTestConfig,
  jestArgs: readonly string[],
  io: Io,
): Promise<ExitCode> {
  const jest = require.resolve('jest/bin/jest');
  const colours = io.stdout.isTTY ? ['--colors'] : [];
  const child = spawn(
    process.execPath,
    [jest, '--config', JSON.stringify(config), ...colours, ...jestArgs],
    { cwd: config.rootDir, env: io.env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout.pipe(io.stdout, { end: false });
  child.stderr.pipe(io.stderr, { end: false });
  const stop = (): void => {
    if (child.exitCode === null) child.kill('SIGTERM');
  };
  io.signal.addEventListener('abort', stop, { once: true });
  return new Promise((resolve, reject) => {
    child.once('error', (error) => {
      io.signal.removeEventListener('abort', stop);
      reject(new Error(`Could not start jest (${jest}): ${error.message}`, { cause: error }));
    });
    child.once('close', (code) => {
      io.signal.removeEventListener('abort', stop);
      resolve(exitCodeOf(code, io.signal.aborted));
    });
  });
}

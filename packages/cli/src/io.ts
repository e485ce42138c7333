import type { Readable } from 'node:stream';

/** What every command ends with: 0 success, 1 the build (or check) failed, 2 an error. */
export type ExitCode = 0 | 1 | 2;

/** Where a command reads and writes; tests and `main` hand in their own. */
export interface Io {
  /** Only secrets are read from it (`--github-token-stdin`, `--from-file -`), never prompted for. */
  stdin: Readable & { isTTY?: boolean };
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Aborted on Ctrl-C (SIGINT) or SIGTERM. */
  signal: AbortSignal;
}

export function writeLine(stream: NodeJS.WritableStream, line = ''): void {
  stream.write(`${line}\n`);
}

/** The message of anything thrown, for one-line error output. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

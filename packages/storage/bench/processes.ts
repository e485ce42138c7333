import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** Runs a command to completion (no shell unless the caller asks for `sh -c`). */
export function run(command: string, ...args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(command, args, (error) =>
      error
        ? reject(new Error(`${command} failed: ${error.message}`, { cause: error }))
        : resolve(),
    );
  });
}

export interface S3rverChild {
  endpoint: string;
  stop(): void;
}

/** Starts `s3rver-child.ts` and waits for the port it prints. */
export async function startS3rverChild(directory: string): Promise<S3rverChild> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(__dirname, 's3rver-child.ts'), directory],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  if (!child.stdout) throw new Error('The s3rver child has no stdout.');
  for await (const line of createInterface({ input: child.stdout })) {
    const { port } = JSON.parse(line) as { port: number };
    return { endpoint: `http://127.0.0.1:${port}`, stop: () => child.kill() };
  }
  throw new Error('The s3rver child exited before it listened.');
}

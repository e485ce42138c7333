import { mkdir, rm, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

export interface FileLockOptions {
  /** A lock older than this is taken to belong to a process that died while holding it. */
  readonly staleAfterMs?: number;
  /** How long to wait for another holder before giving up. */
  readonly timeoutMs?: number;
}

/**
 * Runs `work` while holding a lock shared by every process on this machine (jest runs test
 * files in several worker processes). The lock is a directory: `mkdir` either creates it or
 * fails with EEXIST, atomically. The lock is released when `work` settles, even if it throws.
 */
export async function withFileLock<T>(
  lockPath: string,
  work: () => Promise<T>,
  options: FileLockOptions = {},
): Promise<T> {
  const staleAfterMs = options.staleAfterMs ?? 5 * 60_000;
  const deadline = Date.now() + (options.timeoutMs ?? 10 * 60_000);
  while (!(await tryAcquire(lockPath, staleAfterMs))) {
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out waiting for the lock ${lockPath}; if no test is running, remove it.`,
      );
    }
    await sleep(200);
  }
  try {
    return await work();
  } finally {
    await rm(lockPath, { recursive: true, force: true });
  }
}

async function tryAcquire(lockPath: string, staleAfterMs: number): Promise<boolean> {
  try {
    await mkdir(lockPath);
    return true;
  } catch (error) {
    if (!isErrorCode(error, 'EEXIST')) throw error;
  }
  const age = await ageOf(lockPath);
  if (age !== undefined && age > staleAfterMs) {
    await rm(lockPath, { recursive: true, force: true });
  }
  return false;
}

async function ageOf(path: string): Promise<number | undefined> {
  try {
    return Date.now() - (await stat(path)).mtimeMs;
  } catch (error) {
    if (isErrorCode(error, 'ENOENT')) return undefined;
    throw error;
  }
}

/** Duck-typed: under jest, errors from node:fs are not instances of the sandbox's Error. */
function isErrorCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

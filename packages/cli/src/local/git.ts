import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Runs `git` with an argv (never a shell) in `dir`. Resolves stdout, or undefined when git
 * exits non-zero (a question git answers with "no": no tag here, no remote named origin).
 */
export async function gitOutput(dir: string, args: string[]): Promise<string | undefined> {
  try {
    const { stdout } = await run('git', args, { cwd: dir, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error('git is not installed or not on PATH; gibbon run needs it.', {
        cause: error,
      });
    }
    return undefined;
  }
}

/** The non-empty lines of a git answer (NUL-separated when asked with `-z`). */
export function listOf(output: string | undefined, separator = '\n'): string[] {
  return (output ?? '').split(separator).filter((line) => line.length > 0);
}

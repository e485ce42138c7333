import { execFile } from 'node:child_process';

/** Who commits when a test doesn't say. */
export const defaultAuthor = { name: 'Gibbon Test', email: 'test@gibbon.invalid' } as const;

export interface GitAuthor {
  readonly name: string;
  readonly email: string;
}

/**
 * The environment of every git we run: the machine's and user's git configuration are
 * ignored so a developer's `commit.gpgsign` or hooks path can't change what tests see.
 */
export function gitEnvironment(author: GitAuthor = defaultAuthor): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: '/nonexistent',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_AUTHOR_NAME: author.name,
    GIT_AUTHOR_EMAIL: author.email,
    GIT_COMMITTER_NAME: author.name,
    GIT_COMMITTER_EMAIL: author.email,
  };
}

/**
 * Runs `git` with argv (never a shell) in `cwd` and returns its trimmed stdout. A failure
 * carries git's stderr, which says what went wrong.
 */
export function git(
  cwd: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = gitEnvironment(),
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout.trim());
      const detail = stderr.trim() || error.message;
      reject(new Error(`git ${args[0] ?? ''} failed in ${cwd}: ${detail}`, { cause: error }));
    });
  });
}

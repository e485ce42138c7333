/**
 * The folder the user means. `pnpm gibbon ...` at the repository root runs the root script,
 * whose process starts in the repository root; pnpm keeps the folder the command was typed in
 * as `INIT_CWD`, and that is the folder they mean.
 */
export function userCwd(env: NodeJS.ProcessEnv, cwd: string): string {
  const viaRootScript = env.npm_lifecycle_event === 'gibbon' && env.INIT_CWD;
  return viaRootScript || cwd;
}

// @gibbon/cli: the `gibbon` command. Library consumers get the dispatcher and the pieces a
// test or another tool may reuse; the bin is `bin/gibbon.js` → `main.ts`.
export { runCli } from './cli';
export { buildContextFromGit, type GitContextOptions } from './local/git-context';
export { parseParamArgs, readParamFile } from './local/params';
export type { ExitCode, Io } from './io';

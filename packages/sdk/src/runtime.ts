/**
 * `@gibbon/sdk/runtime`: the entry point the engine's bundle calls inside the build script's
 * process. `runScriptModule(() => require('./build'))` connects to the Script API (both
 * variables set, every needed operation present), runs the build and exits: 0 success,
 * 1 failure or canceled, 2 error (the script threw while loading, a bad job graph, the API
 * unreachable or refusing). SIGTERM cancels the build: running jobs are stopped, the rest
 * marked canceled, and the process exits once that has been reported. `console.*` inside an
 * action job writes to that job's log.
 */
import { connectScriptApi, type ScriptApi } from './client/script-api-client';
import { messageOf } from './message-of';
import type { ExecutedBuildStatus } from './executor/types';
import type { ScriptModule, ScriptModuleLoader } from './runtime/load-definition';
import { installConsoleCapture } from './runtime/console-capture';
import { runBuild } from './runtime/run-build';

export type { ScriptModule, ScriptModuleLoader } from './runtime/load-definition';
export {
  runBuild,
  DEFAULT_MAX_PARALLEL,
  type BuildOutcome,
  type RunBuildDeps,
} from './runtime/run-build';

// What runs a script, for the engine's bundle entry and for tests of the runtime itself.
export * from './executor';
export * from './client';
export { MIN_MASK_LENGTH, ScriptJobApi, type ScriptJobApiDeps } from './job-api/script-job-api';
export { BatchedJobLog, type LogSink } from './job-api/job-log';

export type ScriptExitCode = 0 | 1 | 2;

const exitCodes = { success: 0, failure: 1, canceled: 1, error: 2 } as const satisfies Record<
  ExecutedBuildStatus,
  ScriptExitCode
>;

export interface RunScriptOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly signal?: AbortSignal;
  /** Where `sh` runs and artifact paths start (default: the working folder). */
  readonly checkout?: string;
  readonly stderr?: (line: string) => void;
}

/** Runs the build and resolves its exit code; never rejects. */
export async function runScript(
  moduleOrLoader: ScriptModule | ScriptModuleLoader,
  options: RunScriptOptions = {},
): Promise<ScriptExitCode> {
  const env = options.env ?? process.env;
  const stderr = options.stderr ?? ((line: string) => process.stderr.write(`${line}\n`));
  let api: ScriptApi;
  try {
    api = await connectScriptApi(env);
  } catch (error) {
    stderr(`gibbon: ${messageOf(error)}`);
    return 2;
  }
  const outcome = await runBuild(moduleOrLoader, {
    api,
    checkout: options.checkout ?? process.cwd(),
    baseEnv: env,
    signal: options.signal ?? new AbortController().signal,
  });
  // A job's error is in that job's log already; the build's message carries it on.
  if (outcome.message !== undefined && outcome.erroredJobId === undefined) {
    stderr(`gibbon: ${outcome.message}`);
  }
  return exitCodes[outcome.status];
}

/** The bundle's entry: runs the build, then exits the process with its code. */
export async function runScriptModule(
  moduleOrLoader: ScriptModule | ScriptModuleLoader,
): Promise<never> {
  const build = new AbortController();
  const cancel = (): void => build.abort(new Error('The build was canceled.'));
  process.once('SIGTERM', cancel);
  process.once('SIGINT', cancel);
  // A rejection nobody handles inside a user's action must not kill the process mid-build.
  process.on('unhandledRejection', (reason) => {
    process.stderr.write(`gibbon: unhandled rejection in the build script: ${messageOf(reason)}\n`);
  });
  // A throw from a detached callback (a timer in an action) leaves the build in an unknown
  // state: end it as an error (2), not as the failure (1) Node's default exit would claim.
  process.on('uncaughtException', (error) => {
    process.stderr.write(`gibbon: the build script crashed: ${error.stack ?? messageOf(error)}\n`);
    process.exit(2);
  });
  installConsoleCapture();
  const code = await runScript(moduleOrLoader, { signal: build.signal });
  process.exit(code);
}

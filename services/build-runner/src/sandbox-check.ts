import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { prepareScriptSandbox, sandboxRemedy, type ScriptSandbox } from '@gibbon/engine';
import { ConfigError, type RunnerConfig } from './config';
import type { Logger } from './logger';

/**
 * The sandbox every build script runs in, checked once at start by starting an empty box as
 * builds will: a runner that can't box scripts refuses to start, unless the operator opted
 * out (then it says so at every start, at error level). Undefined: scripts run unsandboxed.
 */
export async function prepareSandbox(
  config: RunnerConfig,
  logger: Logger,
): Promise<ScriptSandbox | undefined> {
  if (config.sandbox.unsandboxed) {
    logger.log(
      'error',
      'build scripts run UNSANDBOXED (GIBBON_UNSANDBOXED_SCRIPTS=1): every build, a pull request from a fork included, can read and change what this runner can, its token and data folder included',
      { uid: process.getuid?.() },
    );
    return undefined;
  }
  const readiness = await prepareScriptSandbox(config.sandbox.uids, config.sandbox.limits).catch(
    (error: unknown) => {
      throw new ConfigError(error instanceof Error ? error.message : String(error), {
        cause: error,
      });
    },
  );
  if (!readiness.ready) {
    throw new ConfigError(
      `Build scripts can't be sandboxed on this machine (${readiness.failure}); ${sandboxRemedy(readiness.failure)}, or set GIBBON_UNSANDBOXED_SCRIPTS=1 to run them unsandboxed.`,
    );
  }
  const { sandbox } = readiness;
  if (sandbox.cgroups && sandbox.limits) {
    const { memoryBytes, pids, cpus } = sandbox.limits;
    logger.log(
      'info',
      `each build box may use ${memoryBytes / (1024 * 1024)} MiB of memory, ${pids} processes and threads and ${cpus} ${cpus === 1 ? 'CPU' : 'CPUs'}`,
      {},
    );
  }
  if (sandbox.unlimited) {
    logger.log(
      'warn',
      `build boxes have no memory or CPU limit on this machine (${sandbox.unlimited}): a build can use all of the machine's memory and CPU; its processes are still limited (GIBBON_SANDBOX_PIDS) and are the kernel's first choice when memory runs out`,
      {},
    );
  }
  return sandbox;
}

/**
 * Boxes of a root runner run as uids of their own, which must pass through every folder
 * above the work folder to bind their checkout. The work folder itself is the runner's and
 * made passable with each build (EngineExecutor); a parent they can't pass stops the runner
 * with one line, rather than every build failing on it.
 */
export async function checkBoxUsersPass(workDir: string): Promise<void> {
  for (let folder = dirname(workDir); ; folder = dirname(folder)) {
    const { mode } = await stat(folder);
    if ((mode & 0o001) === 0) {
      const octal = (mode & 0o777).toString(8).padStart(4, '0');
      throw new ConfigError(
        `Build scripts run under uids of their own (GIBBON_SANDBOX_UIDS), which cannot pass through ${folder} (mode ${octal}) to the work folder ${workDir}; allow it (chmod o+x ${folder}) or set GIBBON_RUNNER_WORK_DIR to a folder under one they can pass.`,
      );
    }
    if (dirname(folder) === folder) return;
  }
}

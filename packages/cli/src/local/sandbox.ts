import { chmod, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { UnprocessableError } from '@gibbon/contracts';
import { prepareScriptSandbox, sandboxRemedy, type ScriptSandbox } from '@gibbon/engine';

const WITHOUT = 'or run without --sandbox';

/**
 * `gibbon run --sandbox`: the box of every server build, built and probed exactly as a build
 * runner does at start (engine `prepareScriptSandbox`), so a script that runs here boxed runs
 * boxed on the server. A machine that can't box scripts is one line (exit 2), never a silent
 * unsandboxed run.
 */
export async function localSandbox(): Promise<ScriptSandbox> {
  const readiness = await prepareScriptSandbox().catch((error: unknown) => {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UnprocessableError(`Cannot sandbox the build script: ${reason} (${WITHOUT}).`, {
      cause: error,
    });
  });
  if (!readiness.ready) {
    throw new UnprocessableError(
      `Cannot sandbox the build script on this machine (${readiness.failure}): ${sandboxRemedy(readiness.failure)}; ${WITHOUT}.`,
    );
  }
  return readiness.sandbox;
}

/**
 * With a uid pool (gibbon runs as root) the box runs under a uid of its own, which must pass
 * through every folder above the checkout copy to bind it: the work folder is made passable
 * (not listable), and a parent it can't pass is one line naming it rather than bwrap's error.
 */
export async function letBoxUserPass(workRoot: string): Promise<void> {
  await chmod(workRoot, 0o711);
  for (let folder = dirname(workRoot); ; folder = dirname(folder)) {
    const { mode } = await stat(folder);
    if ((mode & 0o001) === 0) {
      const octal = (mode & 0o777).toString(8).padStart(4, '0');
      throw new UnprocessableError(
        `As root, the sandboxed script runs under a uid of its own, which cannot pass through ${folder} (mode ${octal}) to the work folder ${workRoot}; allow it (chmod o+x ${folder}), set TMPDIR to a folder under one it can pass, ${WITHOUT}.`,
      );
    }
    if (dirname(folder) === folder) return;
  }
}

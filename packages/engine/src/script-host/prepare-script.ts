import { compileBuildScript } from './compile';
import { declarativeModule } from './declarative';
import { locateBuildFile } from './locate';

export interface PrepareScriptOptions {
  checkoutDir: string;
  /** Build-private scratch space (a declarative file's generated module goes here). */
  workDir: string;
  compileCacheDir: string;
}

/**
 * The runnable bundle of a checkout's build: locate the build file (spec section 2 order),
 * turn a declarative one into a module of container jobs, compile. Throws a domain error
 * saying what is wrong with the repository's build file.
 */
export async function prepareScript(options: PrepareScriptOptions): Promise<string> {
  const buildFile = await locateBuildFile(options.checkoutDir);
  const scriptPath =
    buildFile.kind === 'declarative'
      ? await declarativeModule(buildFile, options.workDir)
      : buildFile.path;
  return compileBuildScript({
    scriptPath,
    checkoutDir: options.checkoutDir,
    cacheDir: options.compileCacheDir,
  });
}

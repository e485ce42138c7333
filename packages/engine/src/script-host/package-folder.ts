import { realpath, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * The real folder of the package `name` as Node resolves it from `fromFolder`: the first
 * `node_modules/<name>` in `fromFolder` or one of its parents. A workspace nests a package's
 * dependencies in its own node_modules; an installed or `pnpm deploy`ed one (the service
 * images) puts them beside it, in the node_modules that holds it.
 */
export async function packageFolder(name: string, fromFolder: string): Promise<string> {
  for (let folder = fromFolder; ; folder = dirname(folder)) {
    const candidate = join(folder, 'node_modules', name);
    if (await isFolder(candidate)) return realpath(candidate);
    if (dirname(folder) === folder) break;
  }
  throw new Error(`The package ${name} is not installed where ${fromFolder} can load it.`);
}

async function isFolder(path: string): Promise<boolean> {
  return stat(path).then(
    (found) => found.isDirectory(),
    () => false,
  );
}

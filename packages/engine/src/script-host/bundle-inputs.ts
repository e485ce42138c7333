import { createHash, randomUUID } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * A file a cached bundle was built from that its cache key does not cover: anything outside
 * the script's folder (`../src/config.ts`) or in a `node_modules` (a package of the
 * repository), by its path relative to the script's folder and its content hash. The key
 * covers the script folder's own files and is the same wherever the checkout lies (`gibbon
 * run` builds in a new temporary folder every time), so a cached bundle is used only while
 * each of these still has the content it had, read relative to the new script folder.
 */
export interface BundleInput {
  path: string;
  sha256: string;
}

function sha256Of(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

function isInside(folder: string, path: string): boolean {
  const step = relative(folder, path);
  return step !== '' && !step.startsWith('..') && !isAbsolute(step);
}

/**
 * The inputs of esbuild's metafile (paths relative to `scriptFolder`, its working folder) that
 * the key does not cover. Files of `bundledFolders` (the SDK, contracts and openapi-fetch,
 * which have an identity of their own in the key) and esbuild's virtual entry are left out.
 */
export async function uncoveredInputs(
  metafileInputs: readonly string[],
  scriptFolder: string,
  bundledFolders: readonly string[],
): Promise<BundleInput[]> {
  const paths = metafileInputs
    .filter((input) => input !== '<stdin>')
    .map((input) => resolve(scriptFolder, input))
    .filter((path) => !bundledFolders.some((folder) => isInside(folder, path)))
    .filter((path) => !isInside(scriptFolder, path) || path.split(sep).includes('node_modules'));
  return Promise.all(
    paths.sort().map(async (path) => ({
      path: relative(scriptFolder, path),
      sha256: sha256Of(await readFile(path)),
    })),
  );
}

/** Writes the list beside the bundle (atomically: a reader sees the whole list or none). */
export async function writeInputList(listPath: string, inputs: BundleInput[]): Promise<void> {
  const partial = `${listPath}.${process.pid}.${randomUUID()}.tmp`;
  await writeFile(partial, JSON.stringify(inputs));
  await rename(partial, listPath);
}

/** True when every listed input has the same content from `scriptFolder`; false if any differs, is gone or the list is. */
export async function inputsUnchanged(listPath: string, scriptFolder: string): Promise<boolean> {
  try {
    const inputs = JSON.parse(await readFile(listPath, 'utf8')) as BundleInput[];
    const hashes = await Promise.all(
      inputs.map(async (input) => sha256Of(await readFile(resolve(scriptFolder, input.path)))),
    );
    return hashes.every((hash, index) => hash === inputs[index]!.sha256);
  } catch {
    return false;
  }
}

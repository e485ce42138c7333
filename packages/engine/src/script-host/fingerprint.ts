import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && !entry.parentPath.includes('node_modules'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/**
 * The cache key of a compiled build script: the content of every file in the script's folder
 * (a build.ts may import its neighbours), the size and mtime of every file of the SDK the
 * engine bundles (so a changed SDK recompiles), and the compile settings.
 */
export async function scriptFingerprint(
  scriptFolder: string,
  sdkFolder: string,
  settings: unknown,
): Promise<string> {
  const hash = createHash('sha256').update(JSON.stringify(settings));
  for (const file of await filesUnder(scriptFolder)) {
    hash.update(`\0file\0${file}\0`).update(await readFile(file));
  }
  for (const file of await filesUnder(sdkFolder)) {
    const { size, mtimeMs } = await stat(file);
    hash.update(`\0sdk\0${file}\0${size}\0${mtimeMs}`);
  }
  return hash.digest('hex');
}

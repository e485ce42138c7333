import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { packageFolder } from './package-folder';

/** Every file under `folder`, sorted, without descending into any `node_modules`. */
async function filesUnder(folder: string): Promise<string[]> {
  const files: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    await Promise.all(
      entries.map(async (entry) => {
        const path = join(dir, entry.name);
        if (entry.isDirectory() && entry.name !== 'node_modules') await walk(path);
        else if (entry.isFile()) files.push(path);
      }),
    );
  };
  await walk(folder);
  return files.sort();
}

/** The size and mtime of every file of a package (its sources, dist and package.json). */
async function packageStamp(folder: string): Promise<string> {
  const hash = createHash('sha256');
  for (const file of await filesUnder(folder)) {
    const { size, mtimeMs } = await stat(file);
    hash.update(`\0${file}\0${size}\0${mtimeMs}`);
  }
  return hash.digest('hex');
}

/**
 * The packages the engine bundles into every script besides the script's own files: the SDK,
 * the contracts it imports, the generated clients' fetch library, and the glob matcher of
 * declarative `when` conditions.
 */
export async function bundledPackageFolders(sdkFolder: string): Promise<string[]> {
  const contracts = await packageFolder('@gibbon/contracts', sdkFolder);
  return [
    sdkFolder,
    contracts,
    await packageFolder('openapi-fetch', contracts),
    await packageFolder('picomatch', sdkFolder),
  ];
}

const bundledCode = new Map<string, Promise<string>>();

/**
 * The identity of the code the engine bundles into every script (`bundledPackageFolders`), by
 * the size and mtime of each of their files. Computed once per process and SDK folder (about
 * 200 files; it was read on every build): the engine's own packages don't change under a
 * running process, and a new install or rebuild is picked up by the next process.
 */
export function bundledCodeIdentity(sdkFolder: string): Promise<string> {
  let identity = bundledCode.get(sdkFolder);
  if (!identity) {
    identity = (async () => {
      const folders = await bundledPackageFolders(sdkFolder);
      return (await Promise.all(folders.map(packageStamp))).join(':');
    })();
    // A failure is not remembered: the next build tries again.
    identity.catch(() => bundledCode.delete(sdkFolder));
    bundledCode.set(sdkFolder, identity);
  }
  return identity;
}

/**
 * The cache key of a compiled build script: the content of every file in the script's folder
 * (a build.ts may import its neighbours; `node_modules` aside) by its path within the folder,
 * the identity of the bundled packages (so a changed SDK recompiles), and the compile
 * settings. Where the folder is does not count: `gibbon run` copies the checkout to a new
 * folder every time. What the script imports from outside its folder is checked against the
 * bundle's input list instead (bundle-inputs.ts).
 */
export async function scriptFingerprint(
  scriptFolder: string,
  sdkFolder: string,
  settings: unknown,
): Promise<string> {
  const [files, sdk] = await Promise.all([
    filesUnder(scriptFolder),
    bundledCodeIdentity(sdkFolder),
  ]);
  const hash = createHash('sha256').update(JSON.stringify(settings)).update(`\0sdk\0${sdk}`);
  const contents = await Promise.all(files.map((file) => readFile(file)));
  files.forEach((file, i) =>
    hash.update(`\0file\0${relative(scriptFolder, file)}\0`).update(contents[i]!),
  );
  return hash.digest('hex');
}

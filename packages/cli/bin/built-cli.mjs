// Whether the built CLI (dist/) is up to date: the launcher runs it when it is, and the bench
// refuses to measure anything else.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const cliRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
export const builtCli = join(cliRoot, 'dist', 'main.js');
/**
 * An installed copy (`npm install -g` of the packed CLI, scripts/pack.mjs) has no src/: only
 * dist/ can run, and the workspace packages are bundled inside it, built with it.
 */
export const isInstalledCopy = !existsSync(join(cliRoot, 'src'));
/** The workspace packages the built CLI loads from their own dist/ (and the packed CLI bundles). */
export const workspaceDeps = ['contracts', 'sdk', 'storage', 'engine'];

/**
 * The newest mtime of the TypeScript that a build compiles: tests (`*.test.ts`) and dot
 * folders (the engine's scenario `.gibbon/` scripts) are not in dist/, so editing them does not
 * make it stale.
 */
function newestSource(folder) {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      if (!entry.name.startsWith('.')) newest = Math.max(newest, newestSource(path));
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}

/** A package's dist/ is fresh when it exists and is newer than every source file it has. */
function distIsFresh(packageDir, entry) {
  const source = join(packageDir, 'src');
  if (!existsSync(source)) return existsSync(join(packageDir, entry));
  if (!existsSync(join(packageDir, entry))) return false;
  return statSync(join(packageDir, entry)).mtimeMs >= newestSource(source);
}

/** The packages (this one and the workspace ones it loads) whose dist/ is missing or stale. */
export function staleBuilds(root = cliRoot) {
  const deps = workspaceDeps.map((name) => join(root, '..', name)).filter((dir) => existsSync(dir));
  const packages = [[root, 'dist/main.js'], ...deps.map((dir) => [dir, 'dist/index.js'])];
  return packages.filter(([dir, entry]) => !distIsFresh(dir, entry)).map(([dir]) => dir);
}

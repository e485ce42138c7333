#!/usr/bin/env node
// The gibbon launcher: runs the built CLI (dist/) when it is up to date, otherwise the
// TypeScript sources through tsx with the `@gibbon/source` condition, so workspace packages
// resolve to their sources too and a fresh clone (or an edit since the last build) works
// without a build step.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', 'main.js');
/** The workspace packages the built CLI loads from their own dist/. */
const workspaceDeps = ['contracts', 'sdk', 'storage', 'engine'].map((name) =>
  join(root, '..', name),
);

function newestSource(folder) {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
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

const useBuilt =
  !process.env.GIBBON_CLI_FROM_SOURCE &&
  distIsFresh(root, 'dist/main.js') &&
  workspaceDeps.every((dir) => !existsSync(dir) || distIsFresh(dir, 'dist/index.js'));

if (useBuilt) {
  await import(pathToFileURL(built).href);
} else {
  // Conditions and loaders are fixed when node starts, hence a second process for the sources.
  const loader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const args = ['--conditions=@gibbon/source', '--import', loader, join(root, 'src', 'main.ts')];
  const child = spawn(process.execPath, [...args, ...process.argv.slice(2)], { stdio: 'inherit' });
  // A terminal's Ctrl-C reaches the whole process group, the child included, so the launcher
  // only passes on what reaches it alone; the CLI treats a doubled Ctrl-C as one.
  const forward = (signal) => {
    if (child.exitCode === null) child.kill(signal);
  };
  process.on('SIGINT', () => forward('SIGINT'));
  process.on('SIGTERM', () => forward('SIGTERM'));
  child.on('exit', (code, signal) => {
    process.exit(code ?? (signal === 'SIGINT' ? 130 : 2));
  });
}

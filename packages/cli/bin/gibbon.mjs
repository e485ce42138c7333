#!/usr/bin/env node
// The gibbon launcher: runs the built CLI (dist/) when it exists, otherwise the TypeScript
// sources through tsx with the `@gibbon/source` condition, so workspace packages resolve to
// their sources too and a fresh clone works without a build step.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', 'main.js');

if (existsSync(built) && !process.env.GIBBON_CLI_FROM_SOURCE) {
  await import(pathToFileURL(built).href);
} else {
  // Conditions and loaders are fixed when node starts, hence a second process for the sources.
  const loader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const args = ['--conditions=@gibbon/source', '--import', loader, join(root, 'src', 'main.ts')];
  const child = spawn(process.execPath, [...args, ...process.argv.slice(2)], { stdio: 'inherit' });
  // A terminal's Ctrl-C reaches the whole process group, the child included, so the launcher
  // only waits for it. A signal aimed at the launcher alone is passed on.
  const forward = (signal) => {
    if (child.exitCode === null) child.kill(signal);
  };
  process.on('SIGINT', () => forward('SIGINT'));
  process.on('SIGTERM', () => forward('SIGTERM'));
  child.on('exit', (code, signal) => {
    process.exit(code ?? (signal === 'SIGINT' ? 130 : 2));
  });
}

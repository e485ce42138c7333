#!/usr/bin/env node
// The gibbon launcher: runs the built CLI (dist/) when it is up to date, otherwise the
// TypeScript sources through tsx with the `@gibbon/source` condition, so workspace packages
// resolve to their sources too and a fresh clone (or an edit since the last build) works
// without a build step. An installed copy (no src/) always runs dist/.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { builtCli, cliRoot, isInstalledCopy, staleBuilds } from './built-cli.mjs';

const useBuilt =
  isInstalledCopy || (!process.env.GIBBON_CLI_FROM_SOURCE && staleBuilds().length === 0);

if (useBuilt) {
  await import(pathToFileURL(builtCli).href);
} else {
  // Conditions and loaders are fixed when node starts, hence a second process for the sources.
  const loader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const args = ['--conditions=@gibbon/source', '--import', loader, join(cliRoot, 'src', 'main.ts')];
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

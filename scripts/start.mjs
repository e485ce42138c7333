#!/usr/bin/env node
// `pnpm start` (and `gibbon server`, which runs this file): public-api and one build-runner with
// the embedded defaults. Usage: node scripts/start.mjs [--no-build]
//   --no-build  use the services' existing dist/ (the caller has built them)
// Exit: 0 after Ctrl-C/SIGTERM stopped both services, 1 when a check or a service failed,
// 130 when a second Ctrl-C forced the stop.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ServiceFailedError, StartError, startGibbon } from './start/orchestrator.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const unknown = args.filter((arg) => arg !== '--no-build');
if (unknown.length > 0) {
  process.stderr.write(
    `gibbon: unknown option ${unknown[0]}; usage: node scripts/start.mjs [--no-build]\n`,
  );
  process.exit(1);
}

try {
  const code = await startGibbon({
    env: process.env,
    // The data folder default (.gibbon-data) is relative to it: the repository root under
    // `pnpm start`, the caller's folder under `gibbon server`.
    cwd: process.cwd(),
    repoRoot,
    build: !args.includes('--no-build'),
  });
  process.exit(code);
} catch (error) {
  if (!(error instanceof StartError)) throw error;
  const line = error instanceof ServiceFailedError ? error.message : `gibbon: ${error.message}`;
  process.stderr.write(`${line}\n`);
  process.exit(1);
}

#!/usr/bin/env node
// `pnpm test`: the whole suite (unit, integration against real engines, e2e) in one jest run.
// Extra arguments go to jest (`pnpm test packages/storage`). With GIBBON_TEST_RESULTS set, jest
// also writes its JSON results there (.ci/run reads the pass/fail count from it).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const jest = require.resolve('jest/bin/jest');
const args = [jest, ...process.argv.slice(2)];
if (process.env.GIBBON_TEST_RESULTS) {
  args.push('--json', `--outputFile=${process.env.GIBBON_TEST_RESULTS}`);
}
const { status, signal } = spawnSync(process.execPath, args, { stdio: 'inherit' });
process.exit(signal ? 1 : (status ?? 1));

import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InputError } from '@gibbon/contracts';
import { helpOption, parseCommandArgs } from '../args';
import { writeLine, type ExitCode, type Io } from '../io';
import { findPipelineTests } from '../pipeline-tests/find-tests';
import { pipelineTestConfig, where } from '../pipeline-tests/jest-config';
import { runJest } from '../pipeline-tests/run-jest';
import type { Command } from './command';

const help = `Usage: gibbon test [dir] [options] [-- jest options]

Runs the pipeline tests of dir (default: the current folder): every .gibbon/**/*.test.ts,
with jest. A test imports the build script and '@gibbon/sdk/testing' (resolveJobs,
runPipeline) to check which jobs a branch, tag or set of changed files gets and what they
do, with no Docker and no server. '@gibbon/sdk' and '@gibbon/sdk/testing' are the ones this
gibbon brings, and TypeScript needs no setup: the repository installs nothing.

Options:
  -t, --test-name-pattern REGEX  run only the tests whose name matches
  -h, --help                     show this help

Anything after -- goes to jest as it is (e.g. gibbon test -- --verbose).

Exit status: 0 every test passed, 1 a test failed (or Ctrl-C), 2 an error (no .gibbon tests,
bad options, jest could not run).`;

const options = {
  ...helpOption,
  'test-name-pattern': { type: 'string', short: 't' },
} as const;

/** Splits `gibbon test` arguments from the ones after `--`, which go to jest untouched. */
function splitAtDashes(argv: string[]): [string[], string[]] {
  const at = argv.indexOf('--');
  return at === -1 ? [argv, []] : [argv.slice(0, at), argv.slice(at + 1)];
}

async function run(argv: string[], io: Io): Promise<ExitCode> {
  const [own, passThrough] = splitAtDashes(argv);
  const { values, positionals } = parseCommandArgs(own, options);
  if (values.help) {
    writeLine(io.stdout, help);
    return 0;
  }
  if (positionals.length > 1) throw new InputError('gibbon test takes at most one folder.');
  const dir = resolve(io.cwd, positionals[0] ?? '.');
  if (!(await stat(dir).catch(() => undefined))?.isDirectory()) {
    throw new InputError(`${dir} is not a folder.`);
  }
  await findPipelineTests(dir);
  const pattern = values['test-name-pattern'];
  const jestArgs = [...(pattern === undefined ? [] : ['-t', pattern]), ...passThrough];
  return runJest(pipelineTestConfig(dir, where()), jestArgs, io);
}

export const testCommand: Command = {
  name: 'test',
  summary: 'Run the pipeline tests (.gibbon/**/*.test.ts) with jest and @gibbon/sdk/testing',
  help,
  run,
};

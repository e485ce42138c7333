import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InputError, UnprocessableError } from '@gibbon/contracts';
import { helpOption, parseCommandArgs } from '../args';
import { writeLine, type ExitCode, type Io } from '../io';
import {
  buildContextFromGit,
  placeholderContext,
  type GitContextOptions,
} from '../local/git-context';
import { buildEnvOf } from '../local/build-env';
import type { Command } from './command';

const help = `Usage: gibbon verify [dir] [options]

Checks the build script of dir (default: the current folder) without running anything:
locates the build file, compiles it, type-checks a TypeScript script against @gibbon/sdk,
reads a declarative YAML/JSON file against the job fields, resolves the pipeline for the
build context of the checkout (or of --branch/--tag), checks the job graph (ids, unknown
dependencies, cycles) and prints the jobs as a dependency tree.

Each problem is printed as file:line:column: message where the position is known.

Options:
  --branch NAME   resolve the pipeline as for this branch
  --tag NAME      resolve the pipeline as for this tag
  --job ID        only this job and the jobs it depends on (repeatable)
  --env NAME=VALUE  a build-level variable the script reads as ctx.env.NAME (repeatable)
  --json          print the jobs as JSON ({ buildFile, jobs: [{ id, kind, dependsOn, runs }] })
  -h, --help      show this help

A folder that is not a git checkout is verified with branch main (or --branch/--tag).

Exit status: 0 the script is fine, 1 the script has problems (syntax, types, the graph, the
YAML), 2 an error (no build file, bad options).`;

const options = {
  ...helpOption,
  branch: { type: 'string' },
  tag: { type: 'string' },
  job: { type: 'string', multiple: true },
  env: { type: 'string', multiple: true },
  json: { type: 'boolean' },
} as const;

async function contextFor(dir: string, contextOptions: GitContextOptions) {
  try {
    return await buildContextFromGit(dir, contextOptions);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return placeholderContext(dir, contextOptions);
  }
}

async function run(argv: string[], io: Io): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(argv, options);
  if (values.help) {
    writeLine(io.stdout, help);
    return 0;
  }
  if (positionals.length > 1) throw new InputError('gibbon verify takes at most one folder.');
  if (values.branch && values.tag) throw new InputError('Give --branch or --tag, not both.');
  const dir = resolve(io.cwd, positionals[0] ?? '.');
  if (!(await stat(dir).catch(() => undefined))?.isDirectory()) {
    throw new InputError(`${dir} is not a folder.`);
  }
  // The engine, esbuild and TypeScript load only for this command, while git answers.
  const [ctx, { verifyBuild, TypeCheckCache, renderTree }] = await Promise.all([
    contextFor(dir, {
      ...(values.branch ? { branch: values.branch } : {}),
      ...(values.tag ? { tag: values.tag } : {}),
      env: buildEnvOf(values.env, values.job),
    }),
    import('../verify/index.js'),
  ]);
  let result;
  try {
    const progress = (line: string) => writeLine(io.stderr, line);
    result = await verifyBuild(dir, ctx, TypeCheckCache.fromEnv(io.env), progress);
  } catch (error) {
    if (!(error instanceof UnprocessableError)) throw error;
    const noBuildFile = error.message.startsWith('No build file found');
    writeLine(io.stderr, error.message);
    return noBuildFile ? 2 : 1;
  }
  if (values.json) {
    const jobs = result.jobs.map(({ job, runs }) => ({
      id: job.id,
      kind: job.kind,
      dependsOn: job.dependsOn ?? [],
      runs,
      ...(job.kind === 'container' ? { image: job.image } : {}),
    }));
    writeLine(io.stdout, JSON.stringify({ buildFile: result.buildFile.name, jobs }));
    return 0;
  }
  const ref = ctx.git.branch ? `branch ${ctx.git.branch}` : `tag ${ctx.git.tag ?? '?'}`;
  const count = `${result.jobs.length} job${result.jobs.length === 1 ? '' : 's'}`;
  writeLine(io.stdout, `${result.buildFile.name} is valid: ${count} for ${ref}`);
  for (const line of renderTree(result.jobs)) writeLine(io.stdout, line);
  return 0;
}

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'Check a build script and print its jobs as a dependency tree, running nothing',
  help,
  run,
};

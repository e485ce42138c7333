import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InputError } from '@gibbon/contracts';
import type { BuildOutcome, ScriptSandbox } from '@gibbon/engine';
import { helpOption, parseCommandArgs } from '../args';
import { writeLine, type ExitCode, type Io } from '../io';
import { checkDocker } from '../local/docker';
import { buildContextFromGit } from '../local/git-context';
import { parseParamArgs, readParamFile } from '../local/params';
import { buildEnvOf } from '../local/build-env';
import { JsonReporter, PlainReporter, TtyReporter, type RunReporter } from '../local/reporters';
import { createWorkspace } from '../local/workspace';
import type { Command } from './command';

const help = `Usage: gibbon run [dir] [options]

Runs the build script of dir (default: the current folder) on this machine, with the engine
the build runner uses and the local Docker engine. The build runs on a copy of the working
tree as git sees it: tracked files with their uncommitted changes, plus untracked files that
are not ignored. The build context comes from the checkout: current branch, tag on HEAD,
commit, message, author, and the changed files (those of the last commit plus uncommitted
ones).

Options:
  --param NAME=VALUE   a parameter the script can fetch (repeatable); masked in all output
  --param-file FILE    parameters from a JSON object file (*.json) or a .env file (repeatable;
                       --param wins over a file)
  --job ID             run only this job and the jobs it depends on (repeatable)
  --approve ID         approve job ID, which waits for approval (approval: true; repeatable)
  --approve-all        approve every job that waits for approval. Without either, such a job
                       is rejected (skipped, with its dependents), saying how to approve it
  --env NAME=VALUE     a build-level variable the script reads as ctx.env.NAME (repeatable;
                       not a secret: use --param for those)
  --branch NAME        build as if the checkout were on this branch
  --tag NAME           build as if the checkout were this tag
  --artifacts DIR      keep artifacts and caches in DIR (reused by later runs) instead of the
                       work folder
  --keep               keep the work folder (checkout copy, artifacts) and print its path
  --sandbox            run the script as the build runner does, in a bubblewrap box: it sees
                       the checkout copy, its own HOME and /tmp, the system's programs
                       read-only, and its own processes only (as root: under a uid of its
                       own). Needs bwrap and user namespaces. Default: a plain child process
                       that sees what you see
  --json               print events and log lines as JSON lines instead of progress
  -h, --help           show this help

Progress: one line per job with its state and duration, redrawn in place on a terminal and
printed as plain lines otherwise; job output is prefixed with the job id.

Environment:
  GIBBON_JOB_NETWORK   network of job containers: bridge (default), host or none
  DOCKER_HOST          the Docker engine to use (default /var/run/docker.sock)

Exit status: 0 the build succeeded, 1 it failed or was canceled (Ctrl-C), 2 an error (no or
bad build script, Docker unreachable, --sandbox on a machine that can't box scripts, bad
options).`;

const options = {
  ...helpOption,
  param: { type: 'string', multiple: true },
  'param-file': { type: 'string', multiple: true },
  job: { type: 'string', multiple: true },
  approve: { type: 'string', multiple: true },
  'approve-all': { type: 'boolean' },
  env: { type: 'string', multiple: true },
  branch: { type: 'string' },
  tag: { type: 'string' },
  artifacts: { type: 'string' },
  keep: { type: 'boolean' },
  json: { type: 'boolean' },
  sandbox: { type: 'boolean' },
} as const;

const exitCodes: Record<BuildOutcome['status'], ExitCode> = {
  success: 0,
  failure: 1,
  canceled: 1,
  timed_out: 1,
  error: 2,
  queued: 2,
  running: 2,
};

const noSandbox = Promise.resolve<ScriptSandbox | undefined>(undefined);

async function checkedDir(cwd: string, dir: string | undefined): Promise<string> {
  const path = resolve(cwd, dir ?? '.');
  const info = await stat(path).catch(() => undefined);
  if (!info?.isDirectory()) throw new InputError(`${path} is not a folder.`);
  return path;
}

function reporterFor(io: Io, json: boolean): RunReporter {
  if (json) return new JsonReporter(io.stdout);
  return io.stdout.isTTY ? new TtyReporter(io.stdout) : new PlainReporter(io.stdout);
}

async function run(argv: string[], io: Io): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(argv, options);
  if (values.help) {
    writeLine(io.stdout, help);
    return 0;
  }
  if (positionals.length > 1) throw new InputError('gibbon run takes at most one folder.');
  if (values.branch && values.tag) throw new InputError('Give --branch or --tag, not both.');
  const dir = await checkedDir(io.cwd, positionals[0]);
  const params: Record<string, string> = {};
  for (const file of values['param-file'] ?? []) {
    Object.assign(params, await readParamFile(resolve(io.cwd, file)));
  }
  Object.assign(params, parseParamArgs(values.param ?? []));
  // The engine (Docker, the Script API server) loads only when a build runs, while git and
  // Docker answer. Its Script API (express, the request validator) is built by the build itself
  // right after the script process starts, so that work overlaps node starting the script.
  const engine = import('../local/local-build.js');
  engine.catch(() => undefined); // awaited below; never an unhandled rejection meanwhile
  // git, the Docker ping and the sandbox probe are independent: ask them all at once.
  const [context, , sandbox] = await Promise.all([
    buildContextFromGit(dir, {
      ...(values.branch ? { branch: values.branch } : {}),
      ...(values.tag ? { tag: values.tag } : {}),
      env: buildEnvOf(values.env, values.job),
    }),
    checkDocker(io.env),
    values.sandbox ? engine.then(({ localSandbox }) => localSandbox()) : noSandbox,
  ]);
  const workspace = await createWorkspace({
    sourceDir: dir,
    keep: values.keep ?? false,
    ...(values.artifacts ? { artifactsDir: resolve(io.cwd, values.artifacts) } : {}),
  });
  const reporter = reporterFor(io, values.json ?? false);
  try {
    const { runLocalBuild } = await engine;
    const outcome = await runLocalBuild({
      workspace,
      context,
      params,
      reporter,
      env: io.env,
      signal: io.signal,
      approve: values['approve-all'] ? 'all' : (values.approve ?? []),
      ...(sandbox ? { sandbox } : {}),
    });
    reporter.finish(outcome);
    return exitCodes[outcome.status];
  } finally {
    await workspace.dispose();
    if (values.keep) writeLine(io.stderr, `Work folder kept: ${workspace.root}`);
  }
}

export const runCommand: Command = {
  name: 'run',
  summary: 'Run the build script of a folder locally, with Docker',
  help,
  run,
};

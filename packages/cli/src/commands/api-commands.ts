import type { Build } from '@gibbon/contracts';
import { INPUT_NAME_PATTERN, InputError } from '@gibbon/contracts';
import { helpOption, parseCommandArgs } from '../args';
import { GibbonClient } from '../api/client';
import { repoRefOf } from '../api/config';
import { buildDetail, buildsTable } from '../api/format';
import { writeLine, type ExitCode, type Io } from '../io';
import { parseParamArgs } from '../local/params';
import {
  buildNumberOf,
  clientOf,
  environmentHelp as environment,
  printJson,
  sleep,
} from './api-support';
import { exitCodeOf, waitForEnd } from './build-commands';
import { followLog, reconnectTimingOf } from './follow-log';
import type { Command } from './command';

const buildsHelp = `Usage: gibbon builds [--repo ORG/REPO] [--limit N] [--follow] [--json]

Lists the builds of a repository, newest first, with status, ref, commit and age.

Options:
  --repo ORG/REPO   the repository (default: GIBBON_REPO)
  --limit N         how many builds (default 20)
  -f, --follow      keep watching: print a line whenever a build appears or changes status,
                    until Ctrl-C
  --json            print the API's JSON (with --follow: one build per line as it changes)
  -h, --help        show this help

${environment}`;

async function followBuilds(
  client: GibbonClient,
  io: Io,
  repo: ReturnType<typeof repoRefOf>,
  json: boolean,
): Promise<ExitCode> {
  const seen = new Map<number, Build['status']>();
  try {
    while (!io.signal.aborted) {
      const { items } = await client.listBuilds(repo, 20);
      for (const build of [...items].reverse()) {
        if (seen.get(build.number) === build.status) continue;
        seen.set(build.number, build.status);
        if (json) writeLine(io.stdout, JSON.stringify(build));
        else writeLine(io.stdout, buildDetail(build)[0]);
      }
      await sleep(2_000, io.signal);
    }
  } catch (error) {
    // Ctrl-C is how a watch ends: not an error, even when it cut a request short.
    if (!io.signal.aborted) throw error;
  }
  return 0;
}

export const buildsCommand: Command = {
  name: 'builds',
  summary: 'List the builds of a repository (--follow to watch)',
  help: buildsHelp,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      ...helpOption,
      repo: { type: 'string' },
      limit: { type: 'string' },
      follow: { type: 'boolean', short: 'f' },
      json: { type: 'boolean' },
    });
    if (values.help) return (writeLine(io.stdout, buildsHelp), 0);
    const repo = repoRefOf(values.repo, io.env);
    const client = clientOf(io);
    if (values.follow) return followBuilds(client, io, repo, values.json ?? false);
    const limit = values.limit ? buildNumberOf(values.limit) : 20;
    const list = await client.listBuilds(repo, limit);
    if (values.json) return printJson(io, list);
    for (const line of buildsTable(list.items)) writeLine(io.stdout, line);
    return 0;
  },
};

const logsHelp = `Usage: gibbon logs BUILD JOB [--repo ORG/REPO] [-f [--reconnect-for SECONDS]]

Prints the log of job JOB of build number BUILD (secrets are masked by the server). The job
\`_script\` is the build script's own log (checkout and compile errors, output outside jobs).

Options:
  --repo ORG/REPO          the repository (default: GIBBON_REPO)
  -f, --follow             keep the log open and print new lines until the job ends (exit 0
                           once the server ends the log: its last line was printed), or until
                           Ctrl-C. When the connection breaks or the server restarts, it
                           reconnects (after 0.5 s, doubling to 5 s between tries) and goes on
                           from the byte after the last one printed: no line is lost or
                           printed twice. It says so on stderr, once when it loses the server
                           and once when it is back. A 4xx answer (no such build or job, a
                           token that may not read it) is not retried, nor a server that was
                           never reached (check GIBBON_SERVER_URL).
  --reconnect-for SECONDS  how long -f waits for a lost server before it gives up (exit 2,
                           with what to do next); default 60, 0 gives up at once
  -h, --help               show this help

${environment}`;

export const logsCommand: Command = {
  name: 'logs',
  summary: 'Print (or follow with -f) the log of a job of a build',
  help: logsHelp,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {
      ...helpOption,
      repo: { type: 'string' },
      follow: { type: 'boolean', short: 'f' },
      'reconnect-for': { type: 'string' },
    });
    if (values.help) return (writeLine(io.stdout, logsHelp), 0);
    if (positionals.length !== 2)
      throw new InputError('Usage: gibbon logs BUILD JOB [--repo ORG/REPO] [-f]');
    const number = buildNumberOf(positionals[0]);
    const jobId = positionals[1]!;
    const repo = repoRefOf(values.repo, io.env);
    const client = clientOf(io);
    if (values.follow) {
      const timing = reconnectTimingOf(values['reconnect-for']);
      const open = (offset: number) => client.jobLog(repo, number, jobId, { follow: true, offset });
      return followLog(open, io, timing, `the log of job ${jobId} of build ${number}`);
    }
    const stream = await client.jobLog(repo, number, jobId, { follow: false });
    try {
      for await (const chunk of stream) io.stdout.write(chunk);
    } catch (error) {
      // Ctrl-C cuts the printing short; any other broken answer is an error.
      if (!io.signal.aborted) throw error;
    }
    return 0;
  },
};

const triggerHelp = `Usage: gibbon trigger [--repo ORG/REPO] (--branch B | --tag T | --commit SHA) [--input NAME=VALUE]... [--param NAME=VALUE]... [--wait]

Queues a build of a branch, tag or commit and prints it.

Options:
  --repo ORG/REPO     the repository (default: GIBBON_REPO)
  --branch NAME       build the head of this branch
  --tag NAME          build this tag
  --commit SHA        build this commit (40 or 64 hex digits)
  --input NAME=VALUE  a value of one of the pipeline's declared inputs (repeatable; ctx.inputs):
                      checked against the declaration before any job runs, a wrong one errors
                      the build naming the input; numbers and true/false are read as the
                      pipeline declares them
  --param NAME=VALUE  a parameter for this build only (repeatable)
  --wait              wait for the build to end; the exit status is the build's (0 success,
                      1 any other end)
  --json              print the API's JSON
  -h, --help          show this help

${environment}`;

/** `--input NAME=VALUE` values, sent as text (the pipeline reads numbers and booleans). */
function inputsOf(entries: readonly string[]): Record<string, string> {
  const inputs: Record<string, string> = {};
  for (const entry of entries) {
    const at = entry.indexOf('=');
    if (at < 1 || !INPUT_NAME_PATTERN.test(entry.slice(0, at))) {
      throw new InputError(
        `--input ${JSON.stringify(entry)}: expected NAME=VALUE, NAME an input's name (letters, digits and _, not starting with a digit).`,
      );
    }
    inputs[entry.slice(0, at)] = entry.slice(at + 1);
  }
  return inputs;
}

export const triggerCommand: Command = {
  name: 'trigger',
  summary: 'Queue a build of a branch, tag or commit on the server',
  help: triggerHelp,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      ...helpOption,
      repo: { type: 'string' },
      branch: { type: 'string' },
      tag: { type: 'string' },
      commit: { type: 'string' },
      param: { type: 'string', multiple: true },
      input: { type: 'string', multiple: true },
      wait: { type: 'boolean' },
      json: { type: 'boolean' },
    });
    if (values.help) return (writeLine(io.stdout, triggerHelp), 0);
    const refs = [values.branch, values.tag, values.commit].filter(Boolean);
    if (refs.length !== 1)
      throw new InputError('Give exactly one of --branch, --tag and --commit.');
    const params = Object.entries(parseParamArgs(values.param ?? [])).map(([name, value]) => ({
      name,
      value,
    }));
    const inputs = inputsOf(values.input ?? []);
    const repo = repoRefOf(values.repo, io.env);
    const client = clientOf(io);
    let build = await client.triggerBuild(repo, {
      ...(values.branch ? { branch: values.branch } : {}),
      ...(values.tag ? { tag: values.tag } : {}),
      ...(values.commit ? { commit: values.commit } : {}),
      ...(params.length ? { params } : {}),
      ...(Object.keys(inputs).length ? { inputs } : {}),
    });
    const page = `  page ${client.buildPageUrl(build)}`;
    if (!values.wait) {
      if (values.json) return printJson(io, build);
      for (const line of [...buildDetail(build), page]) writeLine(io.stdout, line);
      return 0;
    }
    if (!values.json) for (const line of [buildDetail(build)[0]!, page]) writeLine(io.stdout, line);
    build = await waitForEnd(client, io, repo, build);
    if (values.json) printJson(io, build);
    else for (const line of buildDetail(build)) writeLine(io.stdout, line);
    return exitCodeOf(build);
  },
};

const cancelHelp = `Usage: gibbon cancel BUILD [--repo ORG/REPO]

Cancels build number BUILD: queued jobs are not started, running ones are stopped.

Options:
  --repo ORG/REPO   the repository (default: GIBBON_REPO)
  --json            print the API's JSON
  -h, --help        show this help

${environment}`;

export const cancelCommand: Command = {
  name: 'cancel',
  summary: 'Cancel a build on the server',
  help: cancelHelp,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {
      ...helpOption,
      repo: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (values.help) return (writeLine(io.stdout, cancelHelp), 0);
    if (positionals.length !== 1)
      throw new InputError('Usage: gibbon cancel BUILD [--repo ORG/REPO]');
    const build = await clientOf(io).cancelBuild(
      repoRefOf(values.repo, io.env),
      buildNumberOf(positionals[0]),
    );
    if (values.json) return printJson(io, build);
    for (const line of buildDetail(build)) writeLine(io.stdout, line);
    return 0;
  },
};

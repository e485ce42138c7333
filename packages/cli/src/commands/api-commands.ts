import type { Build } from '@gibbon/contracts';
import { InputError } from '@gibbon/contracts/core';
import { helpOption, parseCommandArgs } from '../args';
import { GibbonClient } from '../api/client';
import { repoRefOf } from '../api/config';
import { buildDetail, buildsTable } from '../api/format';
import { renderTable } from '../api/table';
import { writeLine, type ExitCode, type Io } from '../io';
import { parseParamArgs } from '../local/params';
import { clientOf, environmentHelp as environment } from './api-support';
import type { Command } from './command';

function buildNumberOf(value: string | undefined): number {
  const number = Number(value);
  if (!value || !Number.isInteger(number) || number < 1) {
    throw new InputError(
      `Expected a build number (1, 2, 3, ...), not ${JSON.stringify(value ?? '')}.`,
    );
  }
  return number;
}

function printJson(io: Io, value: unknown): ExitCode {
  writeLine(io.stdout, JSON.stringify(value, null, 2));
  return 0;
}

const reposHelp = `Usage: gibbon repos [--org ORG] [--json]

Lists the repositories of an organisation (default: every organisation the token sees).

Options:
  --org ORG     only this organisation (default: the org of GIBBON_REPO, else all)
  --json        print the API's JSON instead of a table
  -h, --help    show this help

${environment}`;

export const reposCommand: Command = {
  name: 'repos',
  summary: 'List repositories on the Gibbon server',
  help: reposHelp,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      ...helpOption,
      org: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (values.help) return (writeLine(io.stdout, reposHelp), 0);
    const client = clientOf(io);
    const org = values.org ?? io.env.GIBBON_REPO?.split('/')[0];
    const orgs = org ? [org] : (await client.listOrgs()).items.map((item) => item.slug);
    const repos = (await Promise.all(orgs.map((slug) => client.listRepos(slug)))).flatMap(
      (list) => list.items,
    );
    if (values.json) return printJson(io, { items: repos });
    const rows = repos.map((repo) => [`${repo.org}/${repo.name}`, repo.mainBranch, repo.url]);
    for (const line of renderTable(['REPO', 'MAIN', 'URL'], rows)) writeLine(io.stdout, line);
    return 0;
  },
};

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

/** Resolves after `ms`, or as soon as `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
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

const logsHelp = `Usage: gibbon logs BUILD JOB [--repo ORG/REPO] [-f]

Prints the log of job JOB of build number BUILD (secrets are masked by the server).

Options:
  --repo ORG/REPO   the repository (default: GIBBON_REPO)
  -f, --follow      keep the log open and print new lines until the job ends
  -h, --help        show this help

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
    });
    if (values.help) return (writeLine(io.stdout, logsHelp), 0);
    if (positionals.length !== 2)
      throw new InputError('Usage: gibbon logs BUILD JOB [--repo ORG/REPO] [-f]');
    const number = buildNumberOf(positionals[0]);
    const stream = await clientOf(io).jobLog(
      repoRefOf(values.repo, io.env),
      number,
      positionals[1]!,
      values.follow ?? false,
    );
    try {
      for await (const chunk of stream) io.stdout.write(chunk);
    } catch (error) {
      // Ctrl-C ends `logs -f` like `tail -f`; any other broken stream is an error.
      if (!io.signal.aborted) throw error;
    }
    return 0;
  },
};

const triggerHelp = `Usage: gibbon trigger [--repo ORG/REPO] (--branch B | --tag T | --commit SHA) [--param NAME=VALUE]...

Queues a build of a branch, tag or commit and prints it.

Options:
  --repo ORG/REPO     the repository (default: GIBBON_REPO)
  --branch NAME       build the head of this branch
  --tag NAME          build this tag
  --commit SHA        build this commit (40 or 64 hex digits)
  --param NAME=VALUE  a parameter for this build only (repeatable)
  --json              print the API's JSON
  -h, --help          show this help

${environment}`;

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
    const build = await clientOf(io).triggerBuild(repoRefOf(values.repo, io.env), {
      ...(values.branch ? { branch: values.branch } : {}),
      ...(values.tag ? { tag: values.tag } : {}),
      ...(values.commit ? { commit: values.commit } : {}),
      ...(params.length ? { params } : {}),
    });
    if (values.json) return printJson(io, build);
    for (const line of buildDetail(build)) writeLine(io.stdout, line);
    return 0;
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

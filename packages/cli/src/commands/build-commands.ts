import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Build } from '@gibbon/contracts';
import { InputError, isTerminalBuildStatus } from '@gibbon/contracts';
import { helpOption, parseCommandArgs } from '../args';
import type { GibbonClient } from '../api/client';
import { repoRefOf, type RepoRef } from '../api/config';
import { buildDetail } from '../api/format';
import { printable, renderTable } from '../api/table';
import { writeLine, type ExitCode, type Io } from '../io';
import { buildNumberOf, clientOf, environmentHelp, printJson, sleep } from './api-support';
import { approvalNote } from './approve';
import type { Command } from './command';

/** Exit 0 for a successful build, 1 for one that ended any other way. */
export function exitCodeOf(build: Build): ExitCode {
  return build.status === 'success' ? 0 : 1;
}

/**
 * Prints the build's status line as it changes and resolves with the build once it has ended
 * (checked every 2 s), or as it is when Ctrl-C stops the wait.
 */
export async function waitForEnd(
  client: GibbonClient,
  io: Io,
  repo: RepoRef,
  build: Build,
): Promise<Build> {
  let last = build;
  while (!isTerminalBuildStatus(last.status) && !io.signal.aborted) {
    await sleep(2_000, io.signal);
    if (io.signal.aborted) break;
    const now = await client.getBuild(repo, last.number);
    if (now.status !== last.status) writeLine(io.stdout, buildDetail(now)[0]);
    last = now;
  }
  return last;
}

/** The job's message, after what its approval says (once: a rejection's message says it). */
function messageWithApproval(job: Build['jobs'][number], buildNumber: number): string {
  const note = approvalNote(job, buildNumber);
  const message = job.message ?? '';
  if (!note || note.toLowerCase() === message.toLowerCase()) return message;
  return message ? `${note}; ${message}` : note;
}

/** The build, its web page, each job with its status, exit code and message. */
function jobLines(build: Build, page: string): string[] {
  const head = [...buildDetail(build).slice(0, build.message ? 2 : 1), `  page ${page}`];
  const jobs = renderTable(
    ['JOB', 'STATUS', 'EXIT', 'MESSAGE'],
    build.jobs.map((job) => [
      job.id,
      job.status,
      job.exitCode === null ? '-' : String(job.exitCode),
      printable(messageWithApproval(job, build.number)),
    ]),
  ).map((line) => `  ${line}`);
  const subject = printable((build.git.message ?? '').split('\n')[0]!);
  const git = build.git.commit
    ? `  commit ${build.git.commit.slice(0, 12)} ${subject}`.trimEnd()
    : isTerminalBuildStatus(build.status)
      ? '  commit: none (the build ended before a checkout)'
      : '  commit: not known until a runner checks the branch out';
  return [...head, git, ...(build.jobs.length ? jobs : ['  (no jobs yet)'])];
}

const buildHelp = `Usage: gibbon build BUILD [--repo ORG/REPO] [--wait] [--json]

Shows build number BUILD: its status and commit, and each job with its status, exit code and
message. With --wait, follows it until it ends and exits 0 if it succeeded, 1 otherwise.

Options:
  --repo ORG/REPO   the repository (default: GIBBON_REPO)
  --wait            wait for the build to end; the exit status is the build's
  --json            print the API's JSON
  -h, --help        show this help

${environmentHelp}`;

const oneBuildOptions = {
  ...helpOption,
  repo: { type: 'string' },
  wait: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

/**
 * `gibbon <command> BUILD [--repo] [--wait] [--json]` (and `--failed`, where `takesFailed`):
 * its arguments, or its help printed.
 */
function oneBuildArgs(argv: string[], io: Io, help: string, usage: string, takesFailed = false) {
  const { values, positionals } = parseCommandArgs(argv, {
    ...oneBuildOptions,
    failed: { type: 'boolean' },
  });
  if (values.help) return (writeLine(io.stdout, help), undefined);
  if (positionals.length !== 1 || (values.failed && !takesFailed)) throw new InputError(usage);
  const repo = repoRefOf(values.repo, io.env);
  return { values, repo, client: clientOf(io), number: buildNumberOf(positionals[0]) };
}

export const buildCommand: Command = {
  name: 'build',
  summary: 'Show one build with its jobs (--wait to follow it to the end)',
  help: buildHelp,
  async run(argv, io) {
    const args = oneBuildArgs(argv, io, buildHelp, 'Usage: gibbon build BUILD [--repo ORG/REPO]');
    if (!args) return 0;
    const { values, repo, client, number } = args;
    let build = await client.getBuild(repo, number);
    if (values.wait) build = await waitForEnd(client, io, repo, build);
    if (values.json) printJson(io, build);
    else for (const line of jobLines(build, client.buildPageUrl(build))) writeLine(io.stdout, line);
    return values.wait ? exitCodeOf(build) : 0;
  },
};

const retryHelp = `Usage: gibbon retry BUILD [--failed] [--repo ORG/REPO] [--wait] [--json]

Queues a new build of the same commit and parameters as build number BUILD and prints it.
With --failed only what did not succeed runs again: the jobs that succeeded in BUILD (matched
by id) end success at once in the new build, their artifacts read from BUILD.

Options:
  --failed          re-run only the jobs that did not succeed (and what depends on them)
  --repo ORG/REPO   the repository (default: GIBBON_REPO)
  --wait            wait for the new build to end; the exit status is the build's
  --json            print the API's JSON
  -h, --help        show this help

${environmentHelp}`;

export const retryCommand: Command = {
  name: 'retry',
  summary: 'Build the same commit again as a new build',
  help: retryHelp,
  async run(argv, io) {
    const args = oneBuildArgs(
      argv,
      io,
      retryHelp,
      'Usage: gibbon retry BUILD [--failed] [--repo ORG/REPO]',
      true,
    );
    if (!args) return 0;
    const { values, repo, client, number } = args;
    let build = await client.retryBuild(repo, number, values.failed ?? false);
    if (!values.json) {
      writeLine(io.stdout, buildDetail(build)[0]);
      if (build.reusedJobs) {
        writeLine(
          io.stdout,
          `  reuses ${build.reusedJobs.join(', ') || 'no job'} of build #${number}`,
        );
      }
      writeLine(io.stdout, `  page ${client.buildPageUrl(build)}`);
    }
    if (values.wait) build = await waitForEnd(client, io, repo, build);
    if (values.json) printJson(io, build);
    return values.wait ? exitCodeOf(build) : 0;
  },
};

const artifactsHelp = `Usage: gibbon artifacts BUILD [--repo ORG/REPO] [--json]
       gibbon artifacts BUILD download ID [-o FILE]
       gibbon artifacts BUILD extract ID [-o FOLDER]

Lists the artifacts of build number BUILD, downloads one as its tar.gz (default ID.tar.gz), or
extracts it into a folder (default ID/).

Options:
  --repo ORG/REPO   the repository (default: GIBBON_REPO)
  -o, --output P    where to write the file or the folder
  --json            print the API's JSON (list)
  -h, --help        show this help

${environmentHelp}`;

export const artifactsCommand: Command = {
  name: 'artifacts',
  summary: 'List, download and extract the artifacts of a build',
  help: artifactsHelp,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {
      ...helpOption,
      repo: { type: 'string' },
      output: { type: 'string', short: 'o' },
      json: { type: 'boolean' },
    });
    if (values.help) return (writeLine(io.stdout, artifactsHelp), 0);
    const [buildArg, action = 'list', id, ...extra] = positionals;
    const number = buildNumberOf(buildArg);
    const repo = repoRefOf(values.repo, io.env);
    const client = clientOf(io);
    if (action === 'list' && id === undefined) {
      const list = await client.listArtifacts(repo, number);
      if (values.json) return printJson(io, list);
      // A re-run of failed jobs lists what its reused jobs saved in earlier builds too.
      const reused = list.items.some((item) => item.fromBuild !== undefined);
      const rows = list.items.map((item) => [
        item.id,
        String(item.size),
        item.createdAt,
        ...(reused ? [item.fromBuild === undefined ? '' : `build #${item.fromBuild}`] : []),
      ]);
      const header = ['ID', 'BYTES', 'CREATED', ...(reused ? ['SAVED BY'] : [])];
      for (const line of renderTable(header, rows)) writeLine(io.stdout, line);
      return 0;
    }
    if ((action !== 'download' && action !== 'extract') || !id || extra.length > 0) {
      throw new InputError('Usage: gibbon artifacts BUILD [download|extract ID] [-o PATH]');
    }
    const body = Readable.fromWeb(await client.artifact(repo, number, id));
    if (action === 'download') {
      const file = values.output ?? `${id}.tar.gz`;
      await pipeline(body, createWriteStream(file, { flags: 'wx' }));
      writeLine(io.stdout, `Wrote artifact ${id} of build ${number} to ${file}`);
      return 0;
    }
    // The archive reader refuses entries that would land outside the folder (`..`, links).
    const { extractArchive } = await import('@gibbon/storage');
    const folder = values.output ?? id;
    const summary = await extractArchive(body, folder);
    writeLine(io.stdout, `Extracted ${summary.entries} entries of artifact ${id} into ${folder}/`);
    return 0;
  },
};

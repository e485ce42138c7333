import type { Schedule, ScheduleCreate, ScheduleRun } from '@gibbon/contracts';
import { InputError } from '@gibbon/contracts';
import { helpOption, parseCommandArgs } from '../args';
import { repoRefOf, type RepoRef } from '../api/config';
import { renderTable } from '../api/table';
import type { GibbonClient } from '../api/client';
import { writeLine, type ExitCode, type Io } from '../io';
import { parseParamArgs } from '../local/params';
import { clientOf, environmentHelp, printJson } from './api-support';
import type { Command } from './command';

const help = `Usage: gibbon schedules [list] --repo ORG/REPO [--json]
       gibbon schedules create --repo ORG/REPO --cron EXPR [--timezone TZ] [--branch B]
                               [--description TEXT] [--param NAME=VALUE]... [--json]
       gibbon schedules pause|resume|delete ID --repo ORG/REPO
       gibbon schedules runs ID --repo ORG/REPO [--json]

A schedule builds a branch at each tick of a cron expression, read in its time zone; the
builds have source "schedule" (a build file can test when.event: schedule). Ticks missed
while no server ran build once, for the latest; its run says how many ticks it covers.
A paused schedule builds nothing, not even those ticks when it is resumed. list and runs
take a read token; the others an admin token of the org (or the admin token).

Options:
  --repo ORG/REPO       the repository (default: GIBBON_REPO)
  --cron EXPR           five fields: minute hour day-of-month month day-of-week, e.g.
                        "0 3 * * 1-5" (a leading sixth field is seconds), or @hourly,
                        @daily, @weekly, @monthly, @yearly (create)
  --timezone TZ         an IANA time zone the expression is read in, e.g. Europe/Berlin
                        (create; default UTC)
  --branch B            the branch to build (create; default the repository's main branch)
  --description TEXT    what the schedule is for (create)
  --param NAME=VALUE    a parameter of each build (create, repeatable; the server keeps it
                        encrypted and never shows it again, only its name)
  --json                print the API's JSON
  -h, --help            show this help

${environmentHelp}`;

const options = {
  ...helpOption,
  repo: { type: 'string' },
  cron: { type: 'string' },
  timezone: { type: 'string' },
  branch: { type: 'string' },
  description: { type: 'string' },
  param: { type: 'string', multiple: true },
  json: { type: 'boolean' },
} as const;

type Values = ReturnType<typeof parseCommandArgs<typeof options>>['values'];

/** An API time to the second, `2026-12-08 02:00:00 UTC` (the web page prints the same). */
function utc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

function nextRunText(schedule: Schedule): string {
  if (!schedule.enabled) return 'paused';
  return schedule.nextRunAt === null ? 'none (no future tick)' : utc(schedule.nextRunAt);
}

/** `#12`, or `ignored: <the trigger rule>`, and how many missed ticks the run stands for. */
function runText(run: ScheduleRun): string {
  const outcome =
    run.buildNumber === null ? `ignored: ${run.ignoredReason ?? '-'}` : `#${run.buildNumber}`;
  return run.covers > 1 ? `${outcome} (covers ${run.covers} ticks)` : outcome;
}

function scheduleRow(schedule: Schedule): string[] {
  const last = schedule.lastRun;
  return [
    schedule.id,
    schedule.cron,
    schedule.timezone,
    schedule.branch,
    nextRunText(schedule),
    last === null ? 'never' : `${runText(last)} at ${utc(last.tickAt)}`,
  ];
}

function print(io: Io, lines: readonly string[]): 0 {
  for (const line of lines) writeLine(io.stdout, line);
  return 0;
}

function createBody(values: Values): ScheduleCreate {
  if (!values.cron) {
    throw new InputError(
      'Usage: gibbon schedules create --repo ORG/REPO --cron EXPR (e.g. --cron "0 3 * * *")',
    );
  }
  const params = Object.entries(parseParamArgs(values.param ?? []));
  return {
    cron: values.cron,
    ...(values.timezone ? { timezone: values.timezone } : {}),
    ...(values.branch ? { branch: values.branch } : {}),
    ...(values.description ? { description: values.description } : {}),
    ...(params.length ? { params: params.map(([name, value]) => ({ name, value })) } : {}),
  };
}

async function create(client: GibbonClient, repo: RepoRef, values: Values, io: Io) {
  const made = await client.createSchedule(repo, createBody(values));
  if (values.json) return printJson(io, made);
  return print(io, [
    `Created schedule ${made.id} of ${repo.org}/${repo.repo}: "${made.cron}" (${made.timezone}) builds ${made.branch}`,
    `Next run: ${nextRunText(made)}`,
  ]);
}

/** pause, resume, delete and runs: one schedule, named by its id. */
async function onOne(client: GibbonClient, repo: RepoRef, action: string, id: string, io: Io) {
  if (action === 'delete') {
    await client.deleteSchedule(repo, id);
    return print(io, [`Deleted schedule ${id}; its builds stay.`]);
  }
  const enabled = action === 'resume';
  const changed = await client.updateSchedule(repo, id, { enabled });
  const said = enabled ? `Resumed schedule ${id}; next run: ` : `Paused schedule ${id}: `;
  return print(io, [said + nextRunText(changed)]);
}

async function runs(client: GibbonClient, repo: RepoRef, id: string, json: boolean, io: Io) {
  const list = await client.listScheduleRuns(repo, id);
  if (json) return printJson(io, list);
  if (list.items.length === 0) return print(io, [`Schedule ${id} has not fired yet.`]);
  const rows = list.items.map((run) => [utc(run.tickAt), utc(run.firedAt), runText(run)]);
  return print(io, renderTable(['TICK', 'FIRED', 'BUILD'], rows));
}

const oneActions = ['pause', 'resume', 'delete', 'runs'];

async function run(argv: string[], io: Io): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(argv, options);
  if (values.help) return print(io, [help]);
  const [action = 'list', ...rest] = positionals;
  const repo = repoRefOf(values.repo, io.env);
  const client = clientOf(io);
  if (action === 'list') {
    const list = await client.listSchedules(repo);
    if (values.json) return printJson(io, list);
    if (list.items.length === 0) {
      return print(io, [
        `No schedules in ${repo.org}/${repo.repo}; add one with gibbon schedules create.`,
      ]);
    }
    const header = ['ID', 'CRON', 'TIMEZONE', 'BRANCH', 'NEXT RUN', 'LAST RUN'];
    return print(io, renderTable(header, list.items.map(scheduleRow)));
  }
  if (action === 'create') return create(client, repo, values, io);
  if (!oneActions.includes(action)) {
    throw new InputError(
      `Unknown schedules action ${JSON.stringify(action)}; use list, create, pause, resume, delete or runs.`,
    );
  }
  if (rest.length !== 1)
    throw new InputError(`Usage: gibbon schedules ${action} ID --repo ORG/REPO`);
  const id = rest[0]!;
  if (action === 'runs') return runs(client, repo, id, values.json === true, io);
  return onOne(client, repo, action, id, io);
}

export const schedulesCommand: Command = {
  name: 'schedules',
  summary: 'List, create, pause, resume and delete the cron schedules of a repository',
  help,
  run,
};

import type { Delivery } from '@gibbon/contracts';
import { helpOption, parseCommandArgs } from '../args';
import { repoRefOf } from '../api/config';
import { renderTable } from '../api/table';
import { writeLine } from '../io';
import { clientOf, environmentHelp, limitOf, printJson } from './api-support';
import type { Command } from './command';

const help = `Usage: gibbon deliveries [--repo ORG/REPO] [--limit N] [--cursor CURSOR] [--json]

The GitHub deliveries of a repository's webhooks, newest first, and what came of each: the
build it made, a ping, or why it was ignored (the trigger rule, [skip ci], an action that is
not built). A delivery whose signature did not check is not recorded, so it is not listed.

Options:
  --repo ORG/REPO    the repository (default: GIBBON_REPO)
  --limit N          how many deliveries (default 20, at most 100)
  --cursor CURSOR    go on from where a previous page ended (it prints the cursor)
  --json             print the API's JSON
  -h, --help         show this help

${environmentHelp}`;

function outcomeText(delivery: Delivery): string {
  if (delivery.outcome === 'build' && delivery.build) return `build #${delivery.build.number}`;
  if (delivery.outcome === 'ignored') return `ignored: ${delivery.reason ?? '-'}`;
  return delivery.outcome;
}

function row(delivery: Delivery): string[] {
  return [delivery.receivedAt, delivery.event, outcomeText(delivery), delivery.id];
}

export const deliveriesCommand: Command = {
  name: 'deliveries',
  summary: "List a repository's GitHub deliveries and what came of each",
  help,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      ...helpOption,
      repo: { type: 'string' },
      limit: { type: 'string' },
      cursor: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (values.help) return (writeLine(io.stdout, help), 0);
    const repo = repoRefOf(values.repo, io.env);
    const page = await clientOf(io).listDeliveries(repo, limitOf(values.limit), values.cursor);
    if (values.json) return printJson(io, page);
    if (page.items.length === 0) {
      writeLine(io.stdout, `No deliveries for ${repo.org}/${repo.repo} yet.`);
      return 0;
    }
    const header = ['RECEIVED', 'EVENT', 'OUTCOME', 'DELIVERY'];
    for (const line of renderTable(header, page.items.map(row))) writeLine(io.stdout, line);
    if (page.nextCursor !== null) {
      writeLine(io.stdout, `Older deliveries: --cursor ${page.nextCursor}`);
    }
    return 0;
  },
};

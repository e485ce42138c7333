import type { AuditEntry } from '@gibbon/contracts';
import { InputError } from '@gibbon/contracts';
import { helpOption, parseCommandArgs } from '../args';
import { renderTable } from '../api/table';
import { writeLine } from '../io';
import { clientOf, environmentHelp, limitOf, printJson } from './api-support';
import type { Command } from './command';

const help = `Usage: gibbon audit ORG [--limit N] [--cursor CURSOR] [--json]
       gibbon audit --all [--limit N] [--cursor CURSOR] [--json]

Who changed what in an organisation, newest first: repositories, webhooks, parameter sets
(never their values), tokens, and the builds and jobs people canceled, retried, approved or
rejected. It takes the admin token or an admin token of ORG. --all reads the whole log,
runners included (admin token only).

Options:
  --all              the whole log instead of one organisation's
  --limit N          how many entries (default 20, at most 100)
  --cursor CURSOR    go on from where a previous page ended (it prints the cursor)
  --json             print the API's JSON
  -h, --help         show this help

${environmentHelp}`;

function row(entry: AuditEntry): string[] {
  return [entry.at, `${entry.actor.name} (${entry.actor.kind})`, entry.action, entry.object.id];
}

export const auditCommand: Command = {
  name: 'audit',
  summary: 'Show who changed what in an organisation (the audit log)',
  help,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {
      ...helpOption,
      all: { type: 'boolean' },
      limit: { type: 'string' },
      cursor: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (values.help) return (writeLine(io.stdout, help), 0);
    const all = values.all === true;
    if (all ? positionals.length !== 0 : positionals.length !== 1) {
      throw new InputError('Usage: gibbon audit ORG (or gibbon audit --all)');
    }
    const page = await clientOf(io).listAudit(positionals[0], limitOf(values.limit), values.cursor);
    if (values.json) return printJson(io, page);
    const header = ['AT', 'WHO', 'ACTION', 'OBJECT'];
    for (const line of renderTable(header, page.items.map(row))) writeLine(io.stdout, line);
    if (page.nextCursor !== null)
      writeLine(io.stdout, `Older entries: --cursor ${page.nextCursor}`);
    return 0;
  },
};

import { InputError } from '@gibbon/contracts';
import { helpOption, parseCommandArgs } from '../args';
import { renderTable } from '../api/table';
import { writeLine, type ExitCode, type Io } from '../io';
import { parseParamArgs, readParamFile } from '../local/params';
import { clientOf, environmentHelp, orgOf } from './api-support';
import type { Command } from './command';

const help = `Usage: gibbon params [list] --org ORG [--json]
       gibbon params create --org ORG [--description TEXT] [--label NAME=VALUE]...
                            (NAME=VALUE... | --from-file FILE)
       gibbon params delete ID --org ORG

Parameter sets hold the secrets and settings builds fetch with job.param(). The server never
returns values: list shows each set's names only.

Options:
  --org ORG            the organisation (default: the org of GIBBON_REPO)
  --description TEXT   what the set is for (create)
  --label NAME=VALUE   only repositories with this label see the set (create, repeatable;
                       all labels must match)
  --from-file FILE     the values from a JSON object file (*.json) or a .env file (create)
  --json               print the API's JSON
  -h, --help           show this help

${environmentHelp}`;

const options = {
  ...helpOption,
  org: { type: 'string' },
  description: { type: 'string' },
  label: { type: 'string', multiple: true },
  'from-file': { type: 'string' },
  json: { type: 'boolean' },
} as const;

async function run(argv: string[], io: Io): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(argv, options);
  if (values.help) {
    writeLine(io.stdout, help);
    return 0;
  }
  const [action = 'list', ...rest] = positionals;
  const org = orgOf(values.org, io.env);
  const client = clientOf(io);
  if (action === 'list') {
    const list = await client.listParamSets(org);
    if (values.json) return (writeLine(io.stdout, JSON.stringify(list, null, 2)), 0);
    const rows = list.items.map((set) => [set.id, set.description, set.names.join(', ')]);
    for (const line of renderTable(['ID', 'DESCRIPTION', 'NAMES'], rows))
      writeLine(io.stdout, line);
    return 0;
  }
  if (action === 'create') {
    const values_ = values['from-file']
      ? await readParamFile(values['from-file'])
      : parseParamArgs(rest);
    const labels = Object.entries(parseLabels(values.label ?? []));
    const created = await client.createParamSet(org, {
      ...(values.description ? { description: values.description } : {}),
      ...(labels.length
        ? { labelFilters: [labels.map(([name, value]) => ({ name, value }))] }
        : {}),
      values: Object.entries(values_).map(([name, value]) => ({ name, value })),
    });
    if (values.json) return (writeLine(io.stdout, JSON.stringify(created, null, 2)), 0);
    writeLine(io.stdout, `Created parameter set ${created.id} with ${created.names.join(', ')}`);
    return 0;
  }
  if (action === 'delete') {
    if (rest.length !== 1) throw new InputError('Usage: gibbon params delete ID --org ORG');
    await client.deleteParamSet(org, rest[0]!);
    writeLine(io.stdout, `Deleted parameter set ${rest[0]!}`);
    return 0;
  }
  throw new InputError(
    `Unknown params action ${JSON.stringify(action)}; use list, create or delete.`,
  );
}

function parseLabels(entries: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const entry of entries) {
    const at = entry.indexOf('=');
    if (at < 1) throw new InputError(`--label ${JSON.stringify(entry)}: expected NAME=VALUE.`);
    labels[entry.slice(0, at)] = entry.slice(at + 1);
  }
  return labels;
}

export const paramsCommand: Command = {
  name: 'params',
  summary: 'List, create and delete parameter sets (secrets) on the server',
  help,
  run,
};

import type { ParamSetUpdate } from '@gibbon/contracts';
import { InputError } from '@gibbon/contracts';
import { helpOption, parseCommandArgs } from '../args';
import { paramSetDetail } from '../api/format';
import { renderTable } from '../api/table';
import { writeLine, type ExitCode, type Io } from '../io';
import { parseParamArgs, parseParamText, readParamFile } from '../local/params';
import { clientOf, environmentHelp, labelsOf, orgOf, printJson, stdinText } from './api-support';
import type { Command } from './command';

const help = `Usage: gibbon params [list] --org ORG [--json]
       gibbon params show ID --org ORG [--json]
       gibbon params create --org ORG [--description TEXT] [--label NAME=VALUE]...
                            (NAME=VALUE... | --from-file FILE)
       gibbon params update ID --org ORG [--description TEXT] [--label NAME=VALUE]...
                            [NAME=VALUE... | --from-file FILE] [--json]
       gibbon params delete ID --org ORG

Parameter sets hold the secrets and settings builds fetch with job.param(). The server never
returns values: list and show give each set's names only.

update replaces the set, as create would make it: the description and labels become those
given (left out: none, so the set applies to every repository). Values given replace all
the stored ones; with none given the stored values stay, so a set's description or labels
can change without sending its secrets again.

Options:
  --org ORG            the organisation (default: the org of GIBBON_REPO)
  --description TEXT   what the set is for (create, update)
  --label NAME=VALUE   only repositories with this label see the set (create, update,
                       repeatable; all labels must match)
  --from-file FILE     the values from a JSON object file (*.json) or a .env file (create,
                       update); \`-\` reads them from a pipe (a JSON object or .env text).
                       Prefer it to NAME=VALUE: arguments show in \`ps\` and shell history
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

type Values = ReturnType<typeof parseCommandArgs<typeof options>>['values'];

/**
 * What create and update send: the same options mean the same set. `values` is left out when
 * no value is given, which update reads as "keep the stored values".
 */
async function valuesOf(values: Values, valueArgs: readonly string[], io: Io) {
  const file = values['from-file'];
  if (file === '-') {
    const example = 'pass show ci/env | gibbon params create --org acme --from-file -';
    return parseParamText(await stdinText(io, '--from-file -', example), 'stdin');
  }
  if (file !== undefined) return readParamFile(file);
  return valueArgs.length ? parseParamArgs(valueArgs) : undefined;
}

async function paramSetOf(
  values: Values,
  valueArgs: readonly string[],
  io: Io,
): Promise<ParamSetUpdate> {
  const given = await valuesOf(values, valueArgs, io);
  // One group: a set applies to repositories that have all of its labels.
  const labels = labelsOf(values.label ?? []);
  return {
    ...(values.description ? { description: values.description } : {}),
    ...(labels.length ? { labelFilters: [labels] } : {}),
    ...(given ? { values: Object.entries(given).map(([name, value]) => ({ name, value })) } : {}),
  };
}

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
    if (values.json) return printJson(io, list);
    const rows = list.items.map((set) => [set.id, set.description, set.names.join(', ')]);
    for (const line of renderTable(['ID', 'DESCRIPTION', 'NAMES'], rows))
      writeLine(io.stdout, line);
    return 0;
  }
  if (action === 'create') {
    const created = await client.createParamSet(org, {
      values: [],
      ...(await paramSetOf(values, rest, io)),
    });
    if (values.json) return printJson(io, created);
    writeLine(io.stdout, `Created parameter set ${created.id} with ${created.names.join(', ')}`);
    return 0;
  }
  if (action === 'update') {
    const [id, ...valueArgs] = rest;
    if (!id) throw new InputError('Usage: gibbon params update ID --org ORG [NAME=VALUE...]');
    const updated = await client.updateParamSet(org, id, await paramSetOf(values, valueArgs, io));
    if (values.json) return printJson(io, updated);
    // The whole set, not only its names: a replace without --label widens it to every
    // repository, and that should be seen.
    writeLine(io.stdout, `Replaced parameter set ${updated.id}.`);
    for (const line of paramSetDetail(updated).slice(1)) writeLine(io.stdout, line);
    return 0;
  }
  if (action === 'show' || action === 'delete') {
    if (rest.length !== 1) throw new InputError(`Usage: gibbon params ${action} ID --org ORG`);
    const id = rest[0]!;
    if (action === 'show') {
      const set = await client.getParamSet(org, id);
      if (values.json) return printJson(io, set);
      for (const line of paramSetDetail(set)) writeLine(io.stdout, line);
      return 0;
    }
    await client.deleteParamSet(org, id);
    writeLine(io.stdout, `Deleted parameter set ${id}`);
    return 0;
  }
  throw new InputError(
    `Unknown params action ${JSON.stringify(action)}; use list, show, create, update or delete.`,
  );
}

export const paramsCommand: Command = {
  name: 'params',
  summary: 'List, show, create, update and delete parameter sets (secrets) on the server',
  help,
  run,
};

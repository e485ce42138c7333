import { InputError } from '@gibbon/contracts';
import { helpOption, parseCommandArgs } from '../args';
import { orgDetail } from '../api/format';
import { renderTable } from '../api/table';
import { writeLine, type ExitCode } from '../io';
import { clientOf, environmentHelp, labelsOf, orgOf, printJson } from './api-support';
import type { Command } from './command';
import { runRegistrationToken } from './runner-registration';

// The server's objects an admin sets up once: organisations, API tokens, runners. Each is a
// command with actions (`list` by default), as `gibbon params` is.

function unknownAction(command: string, action: string, actions: string): never {
  throw new InputError(`Unknown ${command} action ${JSON.stringify(action)}; use ${actions}.`);
}

function oneName(usage: string, rest: readonly string[]): string {
  if (rest.length !== 1 || !rest[0]) throw new InputError(`Usage: ${usage}`);
  return rest[0];
}

const orgsHelp = `Usage: gibbon orgs [list] [--json]
       gibbon orgs show SLUG [--json]
       gibbon orgs create SLUG [--name NAME]

Organisations hold repositories, parameter sets and tokens. Creating one takes the admin token.

Options:
  --name NAME   the display name (create; default: the slug)
  --json        print the API's JSON
  -h, --help    show this help

${environmentHelp}`;

export const orgsCommand: Command = {
  name: 'orgs',
  summary: 'List, show and create organisations on the server',
  help: orgsHelp,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {
      ...helpOption,
      name: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (values.help) return (writeLine(io.stdout, orgsHelp), 0);
    const [action = 'list', ...rest] = positionals;
    const client = clientOf(io);
    if (action === 'list') {
      const list = await client.listOrgs();
      if (values.json) return printJson(io, list);
      const rows = list.items.map((org) => [org.slug, org.name]);
      for (const line of renderTable(['ORG', 'NAME'], rows)) writeLine(io.stdout, line);
      return 0;
    }
    if (action === 'show') {
      const org = await client.getOrg(oneName('gibbon orgs show SLUG [--json]', rest));
      if (values.json) return printJson(io, org);
      for (const line of orgDetail(org)) writeLine(io.stdout, line);
      return 0;
    }
    if (action === 'create') {
      const slug = oneName('gibbon orgs create SLUG [--name NAME]', rest);
      const org = await client.createOrg({ slug, ...(values.name ? { name: values.name } : {}) });
      if (values.json) return printJson(io, org);
      writeLine(io.stdout, `Created organisation ${org.slug}`);
      return 0;
    }
    return unknownAction('orgs', action, 'list, show or create');
  },
};

const tokensHelp = `Usage: gibbon tokens [list] --org ORG [--json]
       gibbon tokens create NAME --org ORG [--role admin|read]
       gibbon tokens revoke ID --org ORG

API tokens of an organisation. An admin token may change the organisation, a read token only
look. A new token's secret is printed once and never shown again.

Options:
  --org ORG       the organisation (default: the org of GIBBON_REPO)
  --role ROLE     admin or read (create; default read)
  --json          print the API's JSON
  -h, --help      show this help

${environmentHelp}`;

export const tokensCommand: Command = {
  name: 'tokens',
  summary: 'List, create and revoke the API tokens of an organisation',
  help: tokensHelp,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {
      ...helpOption,
      org: { type: 'string' },
      role: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (values.help) return (writeLine(io.stdout, tokensHelp), 0);
    const [action = 'list', ...rest] = positionals;
    const org = orgOf(values.org, io.env);
    const client = clientOf(io);
    if (action === 'list') {
      const list = await client.listTokens(org);
      if (values.json) return printJson(io, list);
      const rows = list.items.map((token) => [
        token.id,
        token.name,
        token.role,
        token.lastUsedAt ?? 'never',
      ]);
      for (const line of renderTable(['ID', 'NAME', 'ROLE', 'LAST USED'], rows))
        writeLine(io.stdout, line);
      return 0;
    }
    if (action === 'create') {
      const name = oneName('gibbon tokens create NAME --org ORG [--role admin|read]', rest);
      const role = values.role ?? 'read';
      if (role !== 'admin' && role !== 'read') {
        throw new InputError(`--role must be admin or read, not ${JSON.stringify(role)}.`);
      }
      const created = await client.createToken(org, { name, role });
      if (values.json) return printJson(io, created);
      writeLine(
        io.stdout,
        `Created ${created.role} token ${created.id} (${created.name}) in ${org}.`,
      );
      writeLine(io.stdout, `Its secret, shown only now: ${created.secret}`);
      return 0;
    }
    if (action === 'revoke') {
      const id = oneName('gibbon tokens revoke ID --org ORG', rest);
      await client.revokeToken(org, id);
      writeLine(io.stdout, `Revoked token ${id}`);
      return 0;
    }
    return unknownAction('tokens', action, 'list, create or revoke');
  },
};

const runnersHelp = `Usage: gibbon runners [list] [--json]
       gibbon runners create NAME [--label NAME=VALUE]...
       gibbon runners drain ID
       gibbon runners delete ID
       gibbon runners registration-token [list | create | revoke ID] (--help for more)

Build-runners registered with the server (admin token). A new runner's token is printed once:
give it to the runner as GIBBON_RUNNER_TOKEN. A drained runner finishes the builds it runs and
is handed no new one (STATE draining); it stays drained. Instead of creating a runner here, a
runner can register itself with a one-time registration token (gibbon runners
registration-token --help).

Options:
  --label NAME=VALUE   a label of the runner (create, repeatable); a repository labelled
                       runs-on=VALUE builds only on runners with the label runs-on=VALUE,
                       os=VALUE or arch=VALUE (os and arch must match what the runner
                       reports: PLATFORM, as Node names it, e.g. linux/x64)
  --json               print the API's JSON
  -h, --help           show this help

${environmentHelp}`;

export const runnersCommand: Command = {
  name: 'runners',
  summary: 'List, register, drain and delete build-runners',
  help: runnersHelp,
  async run(argv, io): Promise<ExitCode> {
    if (argv[0] === 'registration-token') return runRegistrationToken(argv.slice(1), io);
    const { values, positionals } = parseCommandArgs(argv, {
      ...helpOption,
      label: { type: 'string', multiple: true },
      json: { type: 'boolean' },
    });
    if (values.help) return (writeLine(io.stdout, runnersHelp), 0);
    const [action = 'list', ...rest] = positionals;
    const client = clientOf(io);
    if (action === 'list') {
      const list = await client.listRunners();
      if (values.json) return printJson(io, list);
      const rows = list.items.map((runner) => [
        runner.id,
        runner.name,
        runner.labels.map((label) => `${label.name}=${label.value}`).join(', ') || '-',
        runner.platform ? `${runner.platform.os}/${runner.platform.arch}` : '-',
        runner.draining ? 'draining' : 'active',
        runner.lastSeenAt ?? 'never',
      ]);
      const header = ['ID', 'NAME', 'LABELS', 'PLATFORM', 'STATE', 'LAST SEEN'];
      for (const line of renderTable(header, rows)) writeLine(io.stdout, line);
      return 0;
    }
    if (action === 'create') {
      const name = oneName('gibbon runners create NAME [--label NAME=VALUE]...', rest);
      const labels = labelsOf(values.label ?? []);
      const created = await client.createRunner({ name, ...(labels.length ? { labels } : {}) });
      if (values.json) return printJson(io, created);
      writeLine(io.stdout, `Registered runner ${created.id} (${created.name}).`);
      writeLine(io.stdout, `Its token, shown only now (GIBBON_RUNNER_TOKEN): ${created.token}`);
      return 0;
    }
    if (action === 'drain') {
      const id = oneName('gibbon runners drain ID', rest);
      const runner = await client.drainRunner(id);
      if (values.json) return printJson(io, runner);
      writeLine(io.stdout, `Draining runner ${id}: ${runner.runningBuilds} build(s) to finish.`);
      return 0;
    }
    if (action === 'delete') {
      const id = oneName('gibbon runners delete ID', rest);
      await client.deleteRunner(id);
      writeLine(io.stdout, `Deleted runner ${id}`);
      return 0;
    }
    return unknownAction('runners', action, 'list, create, drain or delete');
  },
};

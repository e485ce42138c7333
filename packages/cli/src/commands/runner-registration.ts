import { InputError } from '@gibbon/contracts';
import { helpOption, parseCommandArgs } from '../args';
import { renderTable } from '../api/table';
import { writeLine, type ExitCode } from '../io';
import type { Io } from '../io';
import { clientOf, environmentHelp, labelsOf, printJson } from './api-support';

export const registrationTokenHelp = `Usage: gibbon runners registration-token [list] [--json]
       gibbon runners registration-token create [--label NAME=VALUE]... [--expires-in TIME]
                                                [--description TEXT]
       gibbon runners registration-token revoke ID

One-time tokens a build-runner registers itself with (admin token). Start the runner with
GIBBON_RUNNER_REGISTRATION_TOKEN set to it (and no GIBBON_RUNNER_TOKEN): it registers once,
with these labels, and keeps the runner token it gets in GIBBON_RUNNER_TOKEN_FILE. A token
registers one runner: for an autoscaling group, make one per instance.

Options:
  --label NAME=VALUE   a label the registered runner gets (create, repeatable)
  --expires-in TIME    how long the token stays usable: 90s, 30m, 12h, 7d (at most); default 1h
  --description TEXT   what it is for, shown in the list (e.g. the instance)
  --json               print the API's JSON
  -h, --help           show this help

${environmentHelp}`;

const units: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `--expires-in`: a number of seconds, or a number with s, m, h or d. */
export function secondsOf(text: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(text.trim());
  if (!match) {
    throw new InputError(
      `--expires-in ${JSON.stringify(text)}: expected a duration such as 90s, 30m, 12h or 7d.`,
    );
  }
  return Number(match[1]) * (units[match[2] || 's'] ?? 1);
}

function stateOf(token: {
  usedAt: string | null;
  revokedAt: string | null;
  expiresAt: string;
  runnerId: string | null;
}): string {
  if (token.revokedAt) return 'revoked';
  if (token.usedAt) return `used by ${token.runnerId ?? '?'}`;
  return Date.parse(token.expiresAt) <= Date.now() ? 'expired' : 'unused';
}

/** `gibbon runners registration-token ...` (argv after `registration-token`). */
export async function runRegistrationToken(argv: string[], io: Io): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(argv, {
    ...helpOption,
    label: { type: 'string', multiple: true },
    'expires-in': { type: 'string' },
    description: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help) return (writeLine(io.stdout, registrationTokenHelp), 0);
  const [action = 'list', ...rest] = positionals;
  const client = clientOf(io);
  if (action === 'create' && rest.length === 0) {
    const labels = labelsOf(values.label ?? []);
    const expires = values['expires-in'];
    const created = await client.createRegistrationToken({
      ...(labels.length ? { labels } : {}),
      ...(expires === undefined ? {} : { expiresInSeconds: secondsOf(expires) }),
      ...(values.description === undefined ? {} : { description: values.description }),
    });
    if (values.json) return printJson(io, created);
    writeLine(
      io.stdout,
      `Made registration token ${created.id}, usable once until ${created.expiresAt}.`,
    );
    writeLine(
      io.stdout,
      `The token, shown only now (GIBBON_RUNNER_REGISTRATION_TOKEN): ${created.token}`,
    );
    return 0;
  }
  if (action === 'list' && rest.length === 0) {
    const list = await client.listRegistrationTokens();
    if (values.json) return printJson(io, list);
    const rows = list.items.map((token) => [
      token.id,
      token.labels.map((label) => `${label.name}=${label.value}`).join(', ') || '-',
      token.expiresAt,
      stateOf(token),
      token.description || '-',
    ]);
    const header = ['ID', 'LABELS', 'EXPIRES', 'STATE', 'DESCRIPTION'];
    for (const line of renderTable(header, rows)) writeLine(io.stdout, line);
    return 0;
  }
  if (action === 'revoke' && rest.length === 1 && rest[0]) {
    await client.revokeRegistrationToken(rest[0]);
    writeLine(io.stdout, `Revoked registration token ${rest[0]}`);
    return 0;
  }
  throw new InputError(
    `Usage: gibbon runners registration-token [list | create [--label NAME=VALUE]... [--expires-in TIME] | revoke ID]`,
  );
}

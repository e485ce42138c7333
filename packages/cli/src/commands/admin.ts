import type { KeyStatus, MasterKeyRotation, SigningKeyRotation } from '@gibbon/contracts';
import { InputError } from '@gibbon/contracts';
import { helpOption, parseCommandArgs } from '../args';
import { renderTable } from '../api/table';
import { writeLine, type ExitCode, type Io } from '../io';
import { clientOf, environmentHelp } from './api-support';
import type { Command } from './command';

const help = `Usage: gibbon admin keys [--json]
       gibbon admin rotate-keys [--signing | --master] [--retire-old-now] [--json]

The keys of the Gibbon server; GIBBON_TOKEN must be the admin token.

Actions:
  keys          the master key in use and where it comes from, how many stored keys each
                master key wraps, and the JWT signing keys of build tokens
  rotate-keys   rotate the signing key, then the master key (both unless one is chosen).
                Build tokens already issued stay valid: the previous signing key verifies
                until the longest token lifetime (the build timeout) has passed. Every
                stored key is re-wrapped under the new master key while the server serves;
                with the key file the server makes the new key and removes the old file.
                With GIBBON_MASTER_KEY on the server, first restart it with the new key in
                GIBBON_MASTER_KEY and the old one in GIBBON_MASTER_KEY_PREVIOUS, run this,
                then remove GIBBON_MASTER_KEY_PREVIOUS and restart it again.

Options:
  --signing          rotate only the signing key
  --master           rotate only the master key
  --retire-old-now   the previous signing keys stop verifying at once (after a leak): builds
                     running with their tokens fail at their next call
  --json             print the API's JSON
  -h, --help         show this help

${environmentHelp}`;

const options = {
  ...helpOption,
  signing: { type: 'boolean' },
  master: { type: 'boolean' },
  'retire-old-now': { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

function statusLines(status: KeyStatus): string[] {
  const { masterKey } = status;
  const wrapped = masterKey.wrapped.map((count) => [
    count.masterKeyId,
    String(count.dataKeys),
    String(count.signingKeys),
  ]);
  const signing = status.signingKeys.map((key) => [
    key.kid,
    key.signs ? 'signs' : 'verifies',
    key.createdAt,
    key.retiresAt ?? '-',
  ]);
  return [
    `Master key: ${masterKey.keyId} (${masterKey.source === 'file' ? 'master.key in the data folder' : 'GIBBON_MASTER_KEY'}); held: ${masterKey.heldKeyIds.join(', ')}`,
    '',
    ...renderTable(['MASTER KEY', 'DATA KEYS', 'SIGNING KEYS'], wrapped),
    '',
    ...renderTable(['SIGNING KEY', 'USE', 'CREATED', 'RETIRES'], signing),
  ];
}

function signingLines(rotation: SigningKeyRotation): string[] {
  const others = rotation.signingKeys.filter((key) => key.kid !== rotation.kid);
  return [
    `Signing key: ${rotation.kid} signs build tokens from now on.`,
    ...others.map((key) => `  ${key.kid} verifies tokens it signed until ${key.retiresAt ?? '-'}.`),
  ];
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function masterLines(rotation: MasterKeyRotation): string[] {
  const { dataKeys, signingKeys } = rotation.rewrapped;
  const lines = [
    `Master key: every stored key is wrapped by ${rotation.keyId} now (${plural(dataKeys, 'data key')} and ${plural(signingKeys, 'signing key')} re-wrapped).`,
  ];
  const retired = rotation.retiredKeyIds.join(', ');
  if (retired === '') return lines;
  if (rotation.source === 'file') {
    lines.push(`  The old key (${retired}) is gone: master.key holds the new one. Back it up.`);
  } else {
    lines.push(
      `  ${retired} wraps nothing any more: remove it from GIBBON_MASTER_KEY_PREVIOUS and restart public-api.`,
    );
  }
  return lines;
}

async function rotate(
  io: Io,
  values: { signing?: boolean; master?: boolean; 'retire-old-now'?: boolean; json?: boolean },
): Promise<ExitCode> {
  if (values.signing && values.master) {
    throw new InputError('Give at most one of --signing and --master (neither rotates both).');
  }
  if (values['retire-old-now'] && values.master) {
    throw new InputError('--retire-old-now is about signing keys; it cannot go with --master.');
  }
  const client = clientOf(io);
  const results: Record<string, unknown> = {};
  // The signing key first: it always can be rotated, while the master key may be refused
  // (GIBBON_MASTER_KEY without a previous key); the new signing key is then re-wrapped too.
  if (!values.master) {
    const rotation = await client.rotateSigningKey({
      ...(values['retire-old-now'] ? { retireOthersNow: true } : {}),
    });
    results.signing = rotation;
    if (!values.json) for (const line of signingLines(rotation)) writeLine(io.stdout, line);
  }
  if (!values.signing) {
    const rotation = await client.rotateMasterKey();
    results.master = rotation;
    if (!values.json) for (const line of masterLines(rotation)) writeLine(io.stdout, line);
  }
  if (values.json) writeLine(io.stdout, JSON.stringify(results, null, 2));
  return 0;
}

async function run(argv: string[], io: Io): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(argv, options);
  if (values.help) {
    writeLine(io.stdout, help);
    return 0;
  }
  const [action, ...rest] = positionals;
  if (rest.length > 0)
    throw new InputError(`Unexpected ${JSON.stringify(rest[0])}; see gibbon admin --help.`);
  if (action === 'keys') {
    const status = await clientOf(io).keyStatus();
    if (values.json) writeLine(io.stdout, JSON.stringify(status, null, 2));
    else for (const line of statusLines(status)) writeLine(io.stdout, line);
    return 0;
  }
  if (action === 'rotate-keys') return rotate(io, values);
  throw new InputError(
    `Unknown admin action ${JSON.stringify(action ?? '')}; use keys or rotate-keys.`,
  );
}

export const adminCommand: Command = {
  name: 'admin',
  summary: 'Show and rotate the server keys (master key, signing keys; admin token)',
  help,
  run,
};

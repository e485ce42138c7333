import { addAbortSignal } from 'node:stream';
import { text } from 'node:stream/consumers';
import { InputError, type Label } from '@gibbon/contracts';
import { GibbonClient } from '../api/client';
import { serverConfigFrom } from '../api/config';
import { writeLine, type Io } from '../io';

export const environmentHelp = `Environment:
  GIBBON_SERVER_URL   the Gibbon server, e.g. http://localhost:8080 (GIBBON_URL also works)
  GIBBON_TOKEN        an API token: the admin token or an org token
  GIBBON_REPO         the default for --repo (ORG/REPO)`;

/** The API client of a command, from GIBBON_SERVER_URL/GIBBON_TOKEN; canceled by Ctrl-C. */
export function clientOf(io: Io): GibbonClient {
  return new GibbonClient(serverConfigFrom(io.env), io.signal);
}

/** The organisation a command is about: `--org`, else the org of GIBBON_REPO. */
export function orgOf(value: string | undefined, env: NodeJS.ProcessEnv): string {
  const org = value ?? env.GIBBON_REPO?.split('/')[0];
  if (!org) throw new InputError('Name the organisation with --org ORG (or set GIBBON_REPO).');
  return org;
}

/** The API's JSON, as `--json` prints it. */
export function printJson(io: Io, value: unknown): 0 {
  writeLine(io.stdout, JSON.stringify(value, null, 2));
  return 0;
}

/** Repeated `--label NAME=VALUE` options, in order (a name may repeat). */
export function labelsOf(entries: readonly string[]): Label[] {
  return entries.map((entry) => {
    const at = entry.indexOf('=');
    if (at < 1) throw new InputError(`--label ${JSON.stringify(entry)}: expected NAME=VALUE.`);
    return { name: entry.slice(0, at), value: entry.slice(at + 1) };
  });
}

/**
 * A secret piped in on stdin (one line; its line break dropped), so that it never is a
 * command-line argument, which `ps` and the shell's history would show. A terminal is
 * refused rather than prompted: what is typed there is echoed. No message holds the secret.
 */
/**
 * All of stdin, for an option that takes secrets from a pipe: a terminal is refused (what is
 * typed would show on the screen), with `example` as the way to pipe them in.
 */
export async function stdinText(io: Io, option: string, example: string): Promise<string> {
  const pipeIt = `pipe it in, e.g. \`${example}\``;
  if (io.stdin.isTTY) throw new InputError(`${option} reads a pipe, not a terminal: ${pipeIt}.`);
  try {
    return await text(addAbortSignal(io.signal, io.stdin));
  } catch (error) {
    throw new InputError(`${option}: stdin could not be read (${(error as Error).message}).`, {
      cause: error,
    });
  }
}

export async function secretFromStdin(io: Io, option: string, example: string): Promise<string> {
  const pipeIt = `pipe it in, e.g. \`${example}\``;
  const input = await stdinText(io, option, example);
  const secret = input.replace(/\r?\n$/, '');
  if (secret === '') throw new InputError(`${option}: stdin was empty; ${pipeIt}.`);
  if (/[\r\n]/.test(secret)) {
    throw new InputError(`${option}: stdin held more than one line; pipe in only the secret.`);
  }
  return secret;
}

export function buildNumberOf(value: string | undefined): number {
  const number = Number(value);
  if (!value || !Number.isInteger(number) || number < 1) {
    throw new InputError(
      `Expected a build number (1, 2, 3, ...), not ${JSON.stringify(value ?? '')}.`,
    );
  }
  return number;
}

/** Resolves after `ms`, or as soon as `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
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

/** `--limit` of a listing: a page of 1 to 100 items, 20 when not given. */
export function limitOf(value: string | undefined): number {
  if (value === undefined) return 20;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw new InputError(
      `--limit must be a whole number from 1 to 100, not ${JSON.stringify(value)}.`,
    );
  }
  return limit;
}

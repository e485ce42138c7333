import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import {
  findGitHost,
  gitHostNotAllowedMessage,
  GIT_HOSTS_VARIABLE,
  GIT_INTERNAL_HOSTS_VARIABLE,
  type GitHostAllowlist,
  type GitHostEntry,
} from '@gibbon/contracts';
import { classifyAddress, type AddressClass } from './address-class';

export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/**
 * Resolves a host name to every address it has. The default asks the system resolver
 * (`getaddrinfo`, as Node's own connections do); tests pass a table so that a name pointing at
 * the metadata address is refused without a packet leaving the machine.
 */
export type HostResolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export const systemResolver: HostResolver = async (hostname) => {
  const answers = await lookup(hostname, { all: true, verbatim: true });
  return answers.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
};

/** A fetch the runner will not make; the message names the host and the setting, never an answer. */
export class GitHostRefusedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GitHostRefusedError';
  }
}

/**
 * The addresses a fetch of `url` may connect to, checked before any connection: the host must
 * be on the operator's allowlist, and every address its name resolves to must be one the entry
 * reaches (a public one; loopback and private ones for an internal entry; the address itself
 * for an IP address entry; link-local, where metadata services answer, never through a name).
 * The caller connects to exactly these addresses, so the name is not resolved a second time
 * between the check and the connection (no DNS rebinding).
 */
export async function checkedFetchTarget(
  url: URL,
  allowlist: GitHostAllowlist,
  resolveHost: HostResolver,
): Promise<readonly ResolvedAddress[]> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new GitHostRefusedError(
      `A clone fetches over http:// or https:// only (got ${url.protocol}).`,
    );
  }
  const entry = findGitHost(url, allowlist);
  if (!entry) throw new GitHostRefusedError(gitHostNotAllowedMessage(url));
  const hostname = bareHostname(url);
  const addresses = isIP(hostname)
    ? [{ address: hostname, family: isIP(hostname) === 6 ? 6 : 4 } as const]
    : await resolve(hostname, resolveHost);
  for (const { address } of addresses) {
    const kind = classifyAddress(address);
    if (!reaches(entry, kind)) throw new GitHostRefusedError(refusal(url, entry, kind));
  }
  return addresses;
}

/** `url.hostname` without the brackets of an IPv6 address. */
export function bareHostname(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

async function resolve(
  hostname: string,
  resolveHost: HostResolver,
): Promise<readonly ResolvedAddress[]> {
  let addresses: readonly ResolvedAddress[];
  try {
    addresses = await resolveHost(hostname);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'no answer';
    throw new GitHostRefusedError(
      `The git host ${hostname} could not be resolved (${code}); check the clone URL and the runner's DNS.`,
      { cause: error },
    );
  }
  if (addresses.length === 0) {
    throw new GitHostRefusedError(`The git host ${hostname} resolves to no address.`);
  }
  return addresses;
}

function reaches(entry: GitHostEntry, kind: AddressClass): boolean {
  if (entry.reach === 'exact') return kind !== 'unspecified';
  if (kind === 'public') return true;
  return entry.reach === 'internal' && (kind === 'loopback' || kind === 'private');
}

function refusal(url: URL, entry: GitHostEntry, kind: AddressClass): string {
  const host = url.hostname;
  if (kind === 'link-local') {
    return `The git host ${host} resolves to a link-local address (169.254.0.0/16, fe80::/10: where cloud metadata services answer), which a clone never connects to by name. If the forge really has that address, an operator can list the address itself in ${GIT_HOSTS_VARIABLE}.`;
  }
  if (kind === 'unspecified') {
    return `The git host ${host} resolves to an unspecified address (0.0.0.0 or ::), which a clone never connects to.`;
  }
  if (kind === 'reserved') {
    return `The git host ${host} resolves to a multicast, documentation or other reserved address, which a clone never connects to.`;
  }
  const listed = entry.port === undefined ? entry.host : `${entry.host}:${entry.port}`;
  return `The git host ${host} resolves to a ${kind} address, which a clone connects to only for a forge on the operator's own network: an operator can allow it by listing ${listed} in ${GIT_INTERNAL_HOSTS_VARIABLE} (instead of ${GIT_HOSTS_VARIABLE}) of public-api and every build-runner.`;
}

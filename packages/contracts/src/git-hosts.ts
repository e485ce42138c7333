/**
 * The operator's allowlist of git hosts (forges) that clone URLs may point at. public-api
 * refuses to store a repository on any other host, and the build-runner checks every fetch
 * against the same list again (after resolving the name: see its `checkout/fetch-target.ts`),
 * so both read it from the same variables with this one parser:
 *
 * - `github.com` always;
 * - the host of a GitHub Enterprise `GIBBON_GITHUB_API_URL` (`https://HOST/api/v3`, or
 *   `https://api.SUB.ghe.com` → `SUB.ghe.com`);
 * - `GIBBON_GIT_HOSTS=host[:port],...`: forges on the internet;
 * - `GIBBON_GIT_INTERNAL_HOSTS=host[:port],...`: forges on the operator's own network, whose
 *   names may resolve to loopback or private addresses.
 *
 * An entry without a port allows every port of its host, one with a port only that port. An IP
 * address entry allows exactly that address, and `localhost` its loopback addresses.
 */

export const GIT_HOSTS_VARIABLE = 'GIBBON_GIT_HOSTS';
export const GIT_INTERNAL_HOSTS_VARIABLE = 'GIBBON_GIT_INTERNAL_HOSTS';

/** Where an entry came from; it decides which addresses its name may resolve to. */
export type GitHostSetting =
  | 'default'
  | 'GIBBON_GITHUB_API_URL'
  | typeof GIT_HOSTS_VARIABLE
  | typeof GIT_INTERNAL_HOSTS_VARIABLE;

/**
 * Which addresses a fetch from the entry's host may connect to: `public` only public unicast
 * addresses; `internal` also loopback and private ones (never link-local, where cloud metadata
 * services answer); `exact` the entry is itself an IP address, the only one it allows.
 */
export type GitHostReach = 'public' | 'internal' | 'exact';

export interface GitHostEntry {
  /** As a URL spells it: lower case, IDNA, an IPv6 address in brackets; no trailing dot. */
  readonly host: string;
  /** The only port allowed; `undefined` allows every port. */
  readonly port: number | undefined;
  readonly reach: GitHostReach;
  readonly setting: GitHostSetting;
}

export interface GitHostAllowlist {
  readonly entries: readonly GitHostEntry[];
}

type Env = Readonly<Record<string, string | undefined>>;

/** A malformed entry; the message names the variable and the entry. */
export class GitHostsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GitHostsError';
  }
}

const ENTRY_PATTERN = /^(\[[0-9A-Fa-f:.]+\]|[^:[\]/@\s]+)(?::(\d{1,5}))?$/;

/** The allowlist of `env`; throws `GitHostsError` for a malformed entry. */
export function gitHostAllowlistFromEnv(env: Env): GitHostAllowlist {
  const entries: GitHostEntry[] = [
    { host: 'github.com', port: undefined, reach: 'public', setting: 'default' },
  ];
  const enterprise = githubEnterpriseHost(env.GIBBON_GITHUB_API_URL);
  if (enterprise) entries.push(enterprise);
  entries.push(...parseGitHosts(env[GIT_HOSTS_VARIABLE] ?? '', GIT_HOSTS_VARIABLE));
  entries.push(
    ...parseGitHosts(env[GIT_INTERNAL_HOSTS_VARIABLE] ?? '', GIT_INTERNAL_HOSTS_VARIABLE),
  );
  return { entries };
}

/** `host[:port],...` (spaces allowed around commas) as entries of `setting`. */
export function parseGitHosts(
  raw: string,
  setting: typeof GIT_HOSTS_VARIABLE | typeof GIT_INTERNAL_HOSTS_VARIABLE,
): GitHostEntry[] {
  return raw
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => parseEntry(part, setting));
}

function parseEntry(
  entry: string,
  setting: typeof GIT_HOSTS_VARIABLE | typeof GIT_INTERNAL_HOSTS_VARIABLE,
): GitHostEntry {
  const match = ENTRY_PATTERN.exec(entry);
  const host = match?.[1] === undefined ? undefined : normalHost(match[1]);
  const port = match?.[2] === undefined ? undefined : Number(match[2]);
  if (!host || (port !== undefined && (port < 1 || port > 65535))) {
    throw new GitHostsError(
      `${setting} holds ${JSON.stringify(entry)}, which is not host or host:port; list forge hosts separated by commas, e.g. ${setting}=git.example.com,git.example.com:8443,[2001:db8::1]:3000.`,
    );
  }
  return { host, port, reach: reachOf(host, setting), setting };
}

function reachOf(host: string, setting: GitHostSetting): GitHostReach {
  if (isIpLiteral(host)) return 'exact';
  if (host === 'localhost' || setting === GIT_INTERNAL_HOSTS_VARIABLE) return 'internal';
  return 'public';
}

/**
 * GitHub Enterprise Server serves its API at `https://HOST/api/v3` and git at `HOST`; GitHub
 * Enterprise Cloud with data residency at `api.SUB.ghe.com` and `SUB.ghe.com`. An Enterprise
 * Server usually lives on the operator's network, so its name may resolve to private addresses.
 * Any other API URL (api.github.com, a test stand-in) adds no host.
 */
function githubEnterpriseHost(apiUrl: string | undefined): GitHostEntry | undefined {
  let url: URL;
  try {
    url = new URL(apiUrl ?? '');
  } catch {
    return undefined;
  }
  const setting = 'GIBBON_GITHUB_API_URL';
  const cloud = /^api\.([a-z0-9-]+\.ghe\.com)$/.exec(url.hostname);
  if (cloud?.[1]) return { host: cloud[1], port: undefined, reach: 'public', setting };
  if (!/^\/api\/v3\/?$/.test(url.pathname)) return undefined;
  const host = normalHost(url.hostname);
  if (!host) return undefined;
  const port = url.port === '' ? undefined : Number(url.port);
  return { host, port, reach: isIpLiteral(host) ? 'exact' : 'internal', setting };
}

/** The entry that allows `url`'s host and port; `undefined` when none does. */
export function findGitHost(url: URL, allowlist: GitHostAllowlist): GitHostEntry | undefined {
  const host = normalHost(url.hostname);
  const port = effectivePort(url);
  return allowlist.entries.find(
    (entry) => entry.host === host && (entry.port === undefined || entry.port === port),
  );
}

/** The port a fetch of `url` connects to. */
export function effectivePort(url: URL): number {
  if (url.port !== '') return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}

/** Why `url`'s host is refused and what an operator sets to allow it (for users and logs). */
export function gitHostNotAllowedMessage(url: URL): string {
  const host = normalHost(url.hostname) ?? url.hostname;
  const entry = url.port === '' ? host : `${host}:${url.port}`;
  return `The clone URL's host ${entry} is not an allowed git host. An operator can allow it by adding ${entry} to ${GIT_HOSTS_VARIABLE} (or to ${GIT_INTERNAL_HOSTS_VARIABLE} for a forge on their own network) of public-api and every build-runner.`;
}

/** `true` for an IPv4 address or a bracketed IPv6 address, as URLs spell them. */
export function isIpLiteral(host: string): boolean {
  return host.startsWith('[') || /^\d{1,3}(\.\d{1,3}){3}$/.test(host);
}

/** The host as the URL parser normalises it (case, IDNA, IPv4 forms), without a trailing dot. */
function normalHost(host: string): string | undefined {
  let hostname: string;
  try {
    hostname = new URL(`http://${host}/`).hostname;
  } catch {
    return undefined;
  }
  const trimmed = hostname.endsWith('.') ? hostname.slice(0, -1) : hostname;
  return trimmed === '' ? undefined : trimmed;
}

import {
  findGitHost,
  gitHostNotAllowedMessage,
  InputError,
  type GitHostAllowlist,
} from '@gibbon/contracts';
import type { Label, ParamValue } from './domain';

/**
 * Checks the services make themselves, whatever the HTTP layer already did: services are
 * also called from inside (dispatch, webhooks), and these values end up in storage keys,
 * URLs and log lines.
 */

const slugPattern = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
const paramNamePattern = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
export const maxParamValueBytes = 64 * 1024;

export function assertSlug(value: string, what: string): void {
  if (!slugPattern.test(value)) {
    throw new InputError(
      `${what} must be 1-64 lower-case letters, digits or inner dashes (got ${JSON.stringify(value)}).`,
    );
  }
}

/** A clone URL: http(s) only (no `file:`, `ext::`, `ssh:`), a host, no credentials. */
export function assertCloneUrl(value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch (error) {
    throw new InputError('url is not a valid URL.', { cause: error });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError('url must start with https:// or http://.');
  }
  if (url.username !== '' || url.password !== '') {
    throw new InputError('url must not contain credentials; store a githubToken instead.');
  }
  // eslint-disable-next-line no-control-regex
  if (url.hostname === '' || /[\s\x00-\x1f\x7f]/.test(value)) {
    throw new InputError('url must name a host and contain no spaces or control characters.');
  }
}

/**
 * A clone URL on a host the operator allows (`GIBBON_GIT_HOSTS` and friends): any other host,
 * the cloud metadata address and loopback included, would have the runner fetch from wherever
 * a user points it. The runner checks again, after resolving the name, before every fetch.
 * Call after `assertCloneUrl`.
 */
export function assertAllowedGitHost(value: string, allowlist: GitHostAllowlist): void {
  const url = new URL(value);
  if (!findGitHost(url, allowlist)) throw new InputError(gitHostNotAllowedMessage(url));
}

export function assertParamValues(values: readonly ParamValue[]): void {
  const seen = new Set<string>();
  for (const { name, value } of values) {
    if (!paramNamePattern.test(name)) {
      throw new InputError(
        `Parameter name ${JSON.stringify(name)} must look like an environment variable name.`,
      );
    }
    if (seen.has(name)) throw new InputError(`Parameter name "${name}" appears twice in the set.`);
    seen.add(name);
    if (Buffer.byteLength(value, 'utf8') > maxParamValueBytes) {
      throw new InputError(`The value of "${name}" is larger than 64 KiB.`);
    }
  }
}

export function assertLabels(labels: readonly Label[], what: string): void {
  for (const label of labels) {
    // eslint-disable-next-line no-control-regex
    if (/[\x00-\x1f\x7f]/.test(label.name + label.value)) {
      throw new InputError(`${what} must not contain control characters.`);
    }
  }
}

import { InputError } from '@gibbon/contracts';

/** Where the API client talks to and with which token (spec section 9). */
export interface ServerConfig {
  baseUrl: URL;
  token: string;
}

/**
 * `GIBBON_SERVER_URL` (or `GIBBON_URL`, its name in spec section 8) and `GIBBON_TOKEN`. Both
 * are needed; a missing or malformed one is an InputError that says what to set.
 */
export function serverConfigFrom(env: NodeJS.ProcessEnv): ServerConfig {
  const raw = env.GIBBON_SERVER_URL ?? env.GIBBON_URL;
  if (!raw) {
    throw new InputError(
      'Set GIBBON_SERVER_URL to the Gibbon server (for example http://localhost:8080) and GIBBON_TOKEN to an API token.',
    );
  }
  let baseUrl: URL;
  try {
    baseUrl = new URL(raw);
  } catch (error) {
    throw new InputError(`GIBBON_SERVER_URL=${JSON.stringify(raw)} is not a URL.`, {
      cause: error,
    });
  }
  if (baseUrl.protocol !== 'http:' && baseUrl.protocol !== 'https:') {
    throw new InputError(`GIBBON_SERVER_URL must be an http or https URL, not ${raw}.`);
  }
  const token = env.GIBBON_TOKEN;
  if (!token) {
    throw new InputError('Set GIBBON_TOKEN to an API token (the admin token or an org token).');
  }
  return { baseUrl, token };
}

/** `org/repo` from an argument, or GIBBON_REPO. */
export function repoRefOf(value: string | undefined, env: NodeJS.ProcessEnv): RepoRef {
  const raw = value ?? env.GIBBON_REPO;
  const match = raw?.match(/^([^/\s]+)\/([^/\s]+)$/);
  if (!match) {
    throw new InputError('Name the repository as --repo ORG/REPO (or set GIBBON_REPO=ORG/REPO).');
  }
  return { org: match[1]!, repo: match[2]! };
}

export interface RepoRef {
  org: string;
  repo: string;
}

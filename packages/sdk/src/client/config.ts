/**
 * Where the Script API is and the token for it, from the two variables the runner gives the
 * script process (spec section 3). Anything missing or malformed stops the script at once with
 * a message naming the variable.
 */
import { InputError } from '../contracts';

export type ApiEndpoint =
  | { readonly kind: 'unix'; readonly socketPath: string }
  | { readonly kind: 'http'; readonly host: string; readonly port: number };

export interface ApiConfig {
  readonly endpoint: ApiEndpoint;
  readonly token: string;
}

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);

function parseEndpoint(url: string): ApiEndpoint {
  if (url.startsWith('unix:')) {
    const socketPath = url.slice('unix:'.length);
    if (!socketPath.startsWith('/')) {
      throw new InputError(
        `GIBBON_API_URL must be unix:/absolute/path/to/api.sock, got ${JSON.stringify(url)}.`,
      );
    }
    return { kind: 'unix', socketPath };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new InputError(`GIBBON_API_URL is not a URL: ${JSON.stringify(url)}.`, { cause: error });
  }
  // The Script API is served to one child process; it is never reached over a real network.
  if (parsed.protocol !== 'http:' || !loopbackHosts.has(parsed.hostname) || parsed.port === '') {
    throw new InputError(
      `GIBBON_API_URL must be unix:/path/to/api.sock or http://127.0.0.1:PORT, got ${JSON.stringify(url)}.`,
    );
  }
  return { kind: 'http', host: parsed.hostname.replace(/^\[|\]$/g, ''), port: Number(parsed.port) };
}

/** Reads `GIBBON_API_URL` and `GIBBON_API_TOKEN` from `env` (the process environment by default). */
export function readApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const missing = ['GIBBON_API_URL', 'GIBBON_API_TOKEN'].filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new InputError(
      `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set: a build script runs under the Gibbon runner ` +
        '(`gibbon run` locally), which sets both.',
    );
  }
  return {
    endpoint: parseEndpoint(env.GIBBON_API_URL as string),
    token: env.GIBBON_API_TOKEN as string,
  };
}

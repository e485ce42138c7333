import { InputError, NotFoundError } from '@gibbon/contracts';
import type { BuildSession } from './build-session';

/** Credentials for pulling one image, in the shape dockerode's `authconfig` takes. */
export interface RegistryAuth {
  username: string;
  password: string;
  serveraddress: string;
}

/** The parameter holding Docker's `config.json` shape: `{ "auths": { "<registry>": { … } } }`. */
export const REGISTRY_AUTH_PARAM = 'DOCKER_AUTH_CONFIG';

const DOCKER_HUB = 'docker.io';
const hubAliases = new Set([DOCKER_HUB, 'index.docker.io', 'registry-1.docker.io']);

/** The registry host of an image reference: its first part when that names a host, else Docker Hub. */
export function registryOf(image: string): string {
  const first = image.split('/')[0] ?? '';
  const isHost =
    image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  return isHost ? first : DOCKER_HUB;
}

function hostOfKey(key: string): string {
  const host = key.replace(/^https?:\/\//, '').split('/')[0] ?? '';
  return hubAliases.has(host) ? DOCKER_HUB : host;
}

function credentialsOf(entry: unknown): { username: string; password: string } | undefined {
  const { auth, username, password } = (entry ?? {}) as Record<string, unknown>;
  if (typeof username === 'string' && typeof password === 'string') return { username, password };
  if (typeof auth !== 'string') return undefined;
  const decoded = Buffer.from(auth, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0
    ? { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
    : undefined;
}

/** The credentials for `image` in a Docker auth config document, if it has any. */
export function registryAuthFor(configJson: string, image: string): RegistryAuth | undefined {
  let config: unknown;
  try {
    config = JSON.parse(configJson);
  } catch (error) {
    throw new InputError(`Parameter ${REGISTRY_AUTH_PARAM} is not JSON.`, { cause: error });
  }
  const auths = (config as { auths?: Record<string, unknown> } | null)?.auths ?? {};
  const registry = registryOf(image);
  for (const [key, entry] of Object.entries(auths)) {
    if (hostOfKey(key) !== registry) continue;
    const credentials = credentialsOf(entry);
    if (credentials) return { ...credentials, serveraddress: key };
  }
  return undefined;
}

/**
 * Looks up pull credentials for `image` from the build's DOCKER_AUTH_CONFIG parameter (none for
 * untrusted builds, which see no parameters). The session masks the parameter's value; the
 * password and its `user:password` form are masked too.
 */
export async function registryAuthFromParams(
  session: BuildSession,
  image: string,
): Promise<RegistryAuth | undefined> {
  let configJson: string;
  try {
    configJson = (await session.getParam(REGISTRY_AUTH_PARAM)).value;
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
  const auth = registryAuthFor(configJson, image);
  if (auth) {
    session.addMask(auth.password);
    session.addMask(`${auth.username}:${auth.password}`);
  }
  return auth;
}

import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { InputError } from '@gibbon/contracts';
import type { JobNetwork, ScriptUser } from '@gibbon/engine';
import { blobStoreConfigFromEnv, type BlobStoreConfig } from '@gibbon/storage';

/**
 * The build-runner's settings, read once from the environment (spec section 9). Every bad
 * value is a `ConfigError` whose message is one line naming the variable and the fix; `main`
 * prints it and exits before anything starts.
 */
export interface RunnerConfig {
  /** public-api's base URL, without a trailing slash. */
  readonly serverUrl: string;
  /** The runner token from `POST /v1/runners`. Never logged. */
  readonly runnerToken: string;
  /** Builds run at once. */
  readonly capacity: number;
  readonly jobNetwork: JobNetwork;
  readonly dataDir: string;
  /** Build folders (checkout, scratch, log buffers), one per build, deleted after it. */
  readonly workDir: string;
  /** The label value on this runner's containers: stable across restarts, so they can be reaped. */
  readonly runnerId: string;
  /** Seconds running builds get to finish after the first SIGTERM before they are canceled. */
  readonly drainTimeoutSeconds: number;
  readonly storage: BlobStoreConfig;
  /**
   * The user build scripts run as (`GIBBON_SCRIPT_USER`; only a root runner can switch, and
   * the image sets nobody). Unset: scripts run as the runner's own user.
   */
  readonly scriptUser: ScriptUser | undefined;
}

export class ConfigError extends Error {}

type Env = Readonly<Record<string, string | undefined>>;

const JOB_NETWORKS = ['bridge', 'host', 'none'] as const satisfies readonly JobNetwork[];
const MAX_CAPACITY = 256;

function serverUrl(env: Env): string {
  const raw = env.GIBBON_SERVER_URL?.trim() || 'http://localhost:8080';
  let url: URL;
  try {
    url = new URL(raw);
  } catch (error) {
    throw new ConfigError(
      `GIBBON_SERVER_URL=${JSON.stringify(raw)} is not a URL; use public-api's address, e.g. http://localhost:8080.`,
      { cause: error },
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(
      `GIBBON_SERVER_URL must be an http:// or https:// URL (got ${url.protocol}).`,
    );
  }
  if (url.username || url.password) {
    throw new ConfigError(
      'GIBBON_SERVER_URL must not carry credentials; put the runner token in GIBBON_RUNNER_TOKEN.',
    );
  }
  return raw.replace(/\/+$/, '');
}

function runnerToken(env: Env): string {
  const token = env.GIBBON_RUNNER_TOKEN?.trim();
  if (!token) {
    throw new ConfigError(
      'GIBBON_RUNNER_TOKEN is not set; register a runner with POST /v1/runners (admin token) and use the token it returns.',
    );
  }
  return token;
}

function positiveInteger(env: Env, name: string, fallback: number, max: number): number {
  const raw = env[name]?.trim() || String(fallback);
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1 || value > max) {
    throw new ConfigError(
      `${name}=${JSON.stringify(raw)} is not valid; use a whole number from 1 to ${max}.`,
    );
  }
  return value;
}

function jobNetwork(env: Env): JobNetwork {
  const raw = env.GIBBON_JOB_NETWORK?.trim() || 'bridge';
  const network = JOB_NETWORKS.find((name) => name === raw);
  if (!network) {
    throw new ConfigError(
      `GIBBON_JOB_NETWORK must be "bridge", "host" or "none" (got ${JSON.stringify(raw)}).`,
    );
  }
  return network;
}

/** A digest of the token: the same runner keeps its id across restarts without exposing the token. */
function runnerId(env: Env, token: string): string {
  const explicit = env.GIBBON_RUNNER_ID?.trim();
  if (!explicit) return `runner-${createHash('sha256').update(token).digest('hex').slice(0, 16)}`;
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(explicit)) {
    throw new ConfigError(
      'GIBBON_RUNNER_ID may hold letters, digits, "_", "." and "-" (at most 64, starting with a letter or digit).',
    );
  }
  return explicit;
}

/**
 * `GIBBON_SCRIPT_USER=uid:gid`: build scripts run as that user, apart from the runner's
 * tokens, files and (in a container) the Docker socket. Only a root runner can switch users.
 */
function scriptUser(env: Env, runnerUid: number | undefined): ScriptUser | undefined {
  const raw = env.GIBBON_SCRIPT_USER?.trim();
  if (!raw) return undefined;
  const match = /^(\d{1,10}):(\d{1,10})$/.exec(raw);
  if (!match) {
    throw new ConfigError(
      `GIBBON_SCRIPT_USER=${JSON.stringify(raw)} is not valid; use numeric uid:gid, e.g. 65534:65534.`,
    );
  }
  if (runnerUid !== 0) {
    throw new ConfigError(
      "GIBBON_SCRIPT_USER needs a runner running as root (only root can start a process as another user); unset it to run scripts as the runner's user.",
    );
  }
  return { uid: Number(match[1]), gid: Number(match[2]) };
}

export function loadConfig(
  env: Env = process.env,
  cwd: string = process.cwd(),
  runnerUid: number | undefined = process.getuid?.(),
): RunnerConfig {
  const dataDir = resolve(cwd, env.GIBBON_DATA_DIR?.trim() || '.gibbon-data');
  const token = runnerToken(env);
  let storage: BlobStoreConfig;
  try {
    storage = blobStoreConfigFromEnv(env, { dataDir });
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    throw new ConfigError(error.message, { cause: error });
  }
  return {
    serverUrl: serverUrl(env),
    runnerToken: token,
    capacity: positiveInteger(env, 'GIBBON_RUNNER_CAPACITY', 2, MAX_CAPACITY),
    jobNetwork: jobNetwork(env),
    dataDir,
    workDir: resolve(cwd, env.GIBBON_RUNNER_WORK_DIR?.trim() || join(dataDir, 'runner-work')),
    runnerId: runnerId(env, token),
    drainTimeoutSeconds: positiveInteger(env, 'GIBBON_RUNNER_DRAIN_TIMEOUT', 600, 86_400),
    storage,
    scriptUser: scriptUser(env, runnerUid),
  };
}

import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import {
  gitHostAllowlistFromEnv,
  GitHostsError,
  InputError,
  type GitHostAllowlist,
} from '@gibbon/contracts';
import {
  DEFAULT_BOX_LIMITS,
  DEFAULT_SANDBOX_UIDS,
  type BoxLimits,
  type JobNetwork,
  type UidRange,
} from '@gibbon/engine';
import { logLevelFromEnv, type LogLevel } from '@gibbon/logging';
import { blobStoreConfigFromEnv, type BlobStoreConfig } from '@gibbon/storage';
import { metricsConfigFromEnv, type MetricsConfig } from './metrics/metrics-config';
import { runOnceFrom } from './run-once';

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
  /** `GIBBON_JOB_LOG_LIMIT_MB`: MiB of each job's log kept; past it one line says it was cut. */
  readonly jobLogLimitMb: number;
  /**
   * `GIBBON_BUILD_DISK_MB`: MiB a build's checkout and work folder may take on disk; past it
   * the build is stopped and fails saying so. Default 20480.
   */
  readonly buildDiskLimitMb: number;
  readonly storage: BlobStoreConfig;
  /**
   * The hosts a clone may fetch from (github.com, a GitHub Enterprise host of
   * `GIBBON_GITHUB_API_URL`, `GIBBON_GIT_HOSTS`, `GIBBON_GIT_INTERNAL_HOSTS`): the same list
   * public-api checks repositories against, checked again here after resolving each name.
   */
  readonly gitHosts: GitHostAllowlist;
  /** How build scripts are boxed (docs/adr/0004-script-sandbox.md). */
  readonly sandbox: SandboxConfig;
  /** `GIBBON_METRICS_PORT` (with `_HOST`, `_TOKEN`): the metrics server; none when unset. */
  readonly metrics: MetricsConfig | undefined;
  /** `--once` / `GIBBON_RUNNER_ONCE=1`: claim one build, run and report it, exit 0. */
  readonly once: boolean;
  /** `GIBBON_LOG_LEVEL`, default `info`. */
  readonly logLevel: LogLevel;
}

export interface SandboxConfig {
  /**
   * `GIBBON_UNSANDBOXED_SCRIPTS=1`: the operator's explicit opt-out, for a machine that can't
   * box scripts. Every build script then sees the machine as the runner does.
   */
  readonly unsandboxed: boolean;
  /** `GIBBON_SANDBOX_UIDS=first-last`: the uids a root runner lends its builds, one each. */
  readonly uids: UidRange;
  /**
   * What each box may use, for a root runner: `GIBBON_SANDBOX_MEMORY_MB` (MiB),
   * `GIBBON_SANDBOX_PIDS` (processes and threads), `GIBBON_SANDBOX_CPUS` (cores, e.g. 1.5).
   */
  readonly limits: BoxLimits;
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
      'GIBBON_RUNNER_TOKEN is not set; register a runner with POST /v1/runners (admin token) and use the token it returns, or set GIBBON_RUNNER_REGISTRATION_TOKEN to a one-time registration token (POST /v1/runner-registration-tokens) and the runner registers itself.',
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
 * The sandbox settings. `GIBBON_SCRIPT_USER` (one user for every build) is gone: builds shared
 * it, and so could read each other's tokens; each now gets a uid of its own.
 */
function sandboxConfig(env: Env): SandboxConfig {
  if (env.GIBBON_SCRIPT_USER?.trim()) {
    throw new ConfigError(
      'GIBBON_SCRIPT_USER is no longer used: build scripts run in a sandbox, each build under a uid of its own (GIBBON_SANDBOX_UIDS, default 200000-265535); unset it.',
    );
  }
  const optOut = env.GIBBON_UNSANDBOXED_SCRIPTS?.trim() ?? '';
  if (!['', '0', '1'].includes(optOut)) {
    throw new ConfigError(
      `GIBBON_UNSANDBOXED_SCRIPTS=${JSON.stringify(optOut)} is not valid; use 1 to run build scripts unsandboxed, or leave it unset.`,
    );
  }
  return { unsandboxed: optOut === '1', uids: uidRange(env), limits: boxLimits(env) };
}

const MIB = 1024 * 1024;

function boxLimits(env: Env): BoxLimits {
  const defaults = DEFAULT_BOX_LIMITS;
  const memoryMb = positiveInteger(
    env,
    'GIBBON_SANDBOX_MEMORY_MB',
    defaults.memoryBytes / MIB,
    1024 * 1024,
  );
  const raw = env.GIBBON_SANDBOX_CPUS?.trim() || String(defaults.cpus);
  const cpus = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || cpus < 0.01 || cpus > 4096) {
    throw new ConfigError(
      `GIBBON_SANDBOX_CPUS=${JSON.stringify(raw)} is not valid; give the cores a build may use, e.g. 1 or 1.5.`,
    );
  }
  return {
    memoryBytes: memoryMb * MIB,
    pids: positiveInteger(env, 'GIBBON_SANDBOX_PIDS', defaults.pids, 4_194_304),
    cpus,
  };
}

function uidRange(env: Env): UidRange {
  const raw = env.GIBBON_SANDBOX_UIDS?.trim();
  if (!raw) return DEFAULT_SANDBOX_UIDS;
  const match = /^(\d{1,10})-(\d{1,10})$/.exec(raw);
  const first = Number(match?.[1]);
  const last = Number(match?.[2]);
  if (!match || first < 1000 || last < first || last > 2 ** 31 - 2) {
    throw new ConfigError(
      `GIBBON_SANDBOX_UIDS=${JSON.stringify(raw)} is not valid; give a range of uids no person or service uses, e.g. 200000-265535.`,
    );
  }
  return { first, last };
}

function gitHosts(env: Env): GitHostAllowlist {
  try {
    return gitHostAllowlistFromEnv(env);
  } catch (error) {
    if (!(error instanceof GitHostsError)) throw error;
    throw new ConfigError(error.message, { cause: error });
  }
}

/**
 * A root runner's boxes run under uids of their own, which must pass through every folder
 * above their checkout; the data folder is private (0700), so its work folder lies outside,
 * in /var/lib (one per runner token). Any other runner keeps it in the data folder.
 */
function defaultWorkDir(dataDir: string, token: string, runnerUid: number | undefined): string {
  if (runnerUid !== 0) return join(dataDir, 'runner-work');
  const runner = createHash('sha256').update(token).digest('hex').slice(0, 16);
  return join('/var/lib/gibbon-runner', runner);
}

export function loadConfig(
  env: Env = process.env,
  cwd: string = process.cwd(),
  runnerUid: number | undefined = process.getuid?.(),
  args: readonly string[] = [],
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
    workDir: resolve(
      cwd,
      env.GIBBON_RUNNER_WORK_DIR?.trim() || defaultWorkDir(dataDir, token, runnerUid),
    ),
    runnerId: runnerId(env, token),
    drainTimeoutSeconds: positiveInteger(env, 'GIBBON_RUNNER_DRAIN_TIMEOUT', 600, 86_400),
    jobLogLimitMb: positiveInteger(env, 'GIBBON_JOB_LOG_LIMIT_MB', 1024, 1024 * 1024),
    buildDiskLimitMb: positiveInteger(env, 'GIBBON_BUILD_DISK_MB', 20_480, 1024 * 1024 * 1024),
    storage,
    gitHosts: gitHosts(env),
    sandbox: sandboxConfig(env),
    metrics: metrics(env),
    once: once(env, args),
    logLevel: logLevelFromEnv(env, (message) => new ConfigError(message)),
  };
}

function once(env: Env, args: readonly string[]): boolean {
  const value = runOnceFrom(env, args);
  if (typeof value === 'string') throw new ConfigError(value);
  return value;
}

function metrics(env: Env): MetricsConfig | undefined {
  const config = metricsConfigFromEnv(env);
  if (typeof config === 'string') throw new ConfigError(config);
  return config;
}

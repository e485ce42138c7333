import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { gitHostAllowlistFromEnv, GitHostsError, type GitHostAllowlist } from '@gibbon/contracts';
import type { DatabaseTarget } from './db/database';
import { logLevelFromEnv, type LogLevel } from '@gibbon/logging';
import { parseMasterKey } from './crypto/master-key';

/**
 * public-api's settings, read once from the environment (spec section 9). Every bad value
 * becomes a `ConfigError` whose message is one line naming the variable and the fix; `main`
 * prints it and exits, so nothing starts half-configured.
 */
export interface Config {
  readonly dataDir: string;
  readonly port: number;
  /** Listen address (`GIBBON_HOST`, default every interface). */
  readonly host: string;
  /** Base URL used in links (webhook payload URLs, commit statuses); no trailing slash. */
  readonly publicUrl: string;
  readonly database: DatabaseTarget;
  /** From `GIBBON_MASTER_KEY`; `undefined` means: use (or create) the key file in `dataDir`. */
  readonly masterKey: Buffer | undefined;
  /**
   * From `GIBBON_MASTER_KEY_PREVIOUS` (comma-separated): keys that only open what they wrapped,
   * held while a rotation moves every stored key to `GIBBON_MASTER_KEY`.
   */
  readonly previousMasterKeys: readonly Buffer[];
  readonly githubApiUrl: string;
  readonly storage: StorageConfig;
  /** `GIBBON_LEASE_SECONDS`: how long a runner's lease lasts without a heartbeat (default 60 s). */
  readonly leaseSeconds: number;
  /** `GIBBON_BODY_TIMEOUT_SECONDS`: how long a request body may take to arrive (default 10 s). */
  readonly bodyTimeoutSeconds: number;
  /**
   * The hosts clone URLs may point at: github.com, a GitHub Enterprise host of
   * `GIBBON_GITHUB_API_URL`, `GIBBON_GIT_HOSTS` and `GIBBON_GIT_INTERNAL_HOSTS`.
   */
  readonly gitHosts: GitHostAllowlist;
  /**
   * `GIBBON_WEB_DIR`: the built web page served at `/`; by default `@gibbon/web`'s dist/
   * (built by `pnpm build`). `GIBBON_WEB_DIR=` (empty) serves no page.
   */
  readonly webDir: string | undefined;
  /**
   * `GIBBON_COMMIT_STATUS_MAX_AGE_SECONDS`: how long a commit status is retried (network
   * errors, 5xx, 429) before it is given up with a warning (default 3600 s).
   */
  readonly commitStatusMaxAgeSeconds: number;
  /** `GIBBON_RETENTION_SWEEP_SECONDS`: how often the retention sweeper runs (default 3600 s). */
  readonly retentionSweepSeconds: number;
  /** `GIBBON_METRICS_TOKEN`: the bearer token of `GET /metrics`; unset, metrics are off (404). */
  readonly metricsToken: string | undefined;
  /**
   * `GIBBON_API_WORKERS`: public-api processes sharing the port (node:cluster); by default the
   * number of cores on Postgres and 1 on SQLite, which can't carry events between processes.
   */
  readonly apiWorkers: number;
  /** `GIBBON_LOG_LEVEL`: `debug` adds a line per request; default `info`. */
  readonly logLevel: LogLevel;
}

export type StorageConfig =
  | { readonly kind: 'file'; readonly root: string }
  | {
      readonly kind: 's3';
      readonly endpoint: string | undefined;
      readonly bucket: string;
      readonly region: string;
    };

export class ConfigError extends Error {}

type Env = Readonly<Record<string, string | undefined>>;

function httpUrl(env: Env, name: string, fallback: string): string {
  const value = env[name] ?? fallback;
  let url: URL;
  try {
    url = new URL(value);
  } catch (error) {
    throw new ConfigError(
      `${name}=${JSON.stringify(value)} is not a URL; use e.g. http://localhost:8080.`,
      { cause: error },
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${name} must be an http:// or https:// URL (got ${url.protocol}).`);
  }
  return value.replace(/\/+$/, '');
}

function port(env: Env): number {
  const raw = env.GIBBON_PORT ?? '8080';
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value > 65535) {
    throw new ConfigError(
      `GIBBON_PORT=${JSON.stringify(raw)} is not a port; use a number from 0 to 65535 (0 picks a free one).`,
    );
  }
  return value;
}

function database(env: Env, dataDir: string): DatabaseTarget {
  const url = env.GIBBON_DATABASE_URL;
  if (url === undefined || url === '')
    return { backend: 'sqlite', file: resolve(dataDir, 'gibbon.sqlite') };
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new ConfigError(
      'GIBBON_DATABASE_URL must be a postgres://user:password@host:port/database URL, or unset for SQLite.',
    );
  }
  try {
    new URL(url);
  } catch (error) {
    throw new ConfigError(
      'GIBBON_DATABASE_URL is not a valid URL; check its quoting and special characters.',
      { cause: error },
    );
  }
  return { backend: 'postgres', url };
}

function storage(env: Env, dataDir: string): StorageConfig {
  const kind = env.GIBBON_STORAGE ?? 'file';
  if (kind === 'file') return { kind, root: resolve(dataDir, 'storage') };
  if (kind !== 's3')
    throw new ConfigError(`GIBBON_STORAGE must be "file" or "s3" (got ${JSON.stringify(kind)}).`);
  const bucket = env.GIBBON_S3_BUCKET;
  if (!bucket) throw new ConfigError('GIBBON_STORAGE=s3 needs GIBBON_S3_BUCKET (the bucket name).');
  return {
    kind,
    bucket,
    endpoint: env.GIBBON_S3_ENDPOINT ? httpUrl(env, 'GIBBON_S3_ENDPOINT', '') : undefined,
    region: env.GIBBON_S3_REGION ?? env.AWS_REGION ?? 'us-east-1',
  };
}

function leaseSeconds(env: Env): number {
  const raw = env.GIBBON_LEASE_SECONDS ?? '60';
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 2 || value > 3600) {
    throw new ConfigError(
      `GIBBON_LEASE_SECONDS=${JSON.stringify(raw)} is not valid; use a whole number of seconds from 2 to 3600.`,
    );
  }
  return value;
}

function gitHosts(env: Env): GitHostAllowlist {
  try {
    return gitHostAllowlistFromEnv(env);
  } catch (error) {
    if (!(error instanceof GitHostsError)) throw error;
    throw new ConfigError(error.message, { cause: error });
  }
}

function bodyTimeoutSeconds(env: Env): number {
  const raw = env.GIBBON_BODY_TIMEOUT_SECONDS ?? '10';
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1 || value > 600) {
    throw new ConfigError(
      `GIBBON_BODY_TIMEOUT_SECONDS=${JSON.stringify(raw)} is not valid; use a whole number of seconds from 1 to 600.`,
    );
  }
  return value;
}

function commitStatusMaxAgeSeconds(env: Env): number {
  const raw = env.GIBBON_COMMIT_STATUS_MAX_AGE_SECONDS ?? '3600';
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1 || value > 604_800) {
    throw new ConfigError(
      `GIBBON_COMMIT_STATUS_MAX_AGE_SECONDS=${JSON.stringify(raw)} is not valid; use a whole number of seconds from 1 to 604800 (a week).`,
    );
  }
  return value;
}

function retentionSweepSeconds(env: Env): number {
  const raw = env.GIBBON_RETENTION_SWEEP_SECONDS ?? '3600';
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1 || value > 604_800) {
    throw new ConfigError(
      `GIBBON_RETENTION_SWEEP_SECONDS=${JSON.stringify(raw)} is not valid; use a whole number of seconds from 1 to 604800 (a week).`,
    );
  }
  return value;
}

function previousMasterKeys(env: Env, current: Buffer | undefined): Buffer[] {
  const raw = env.GIBBON_MASTER_KEY_PREVIOUS?.trim();
  if (!raw) return [];
  if (current === undefined) {
    throw new ConfigError(
      'GIBBON_MASTER_KEY_PREVIOUS is set without GIBBON_MASTER_KEY; set GIBBON_MASTER_KEY to the key to rotate to, or unset both to use the master.key file.',
    );
  }
  try {
    return raw
      .split(',')
      .map((key) => parseMasterKey(key, 'Each key of GIBBON_MASTER_KEY_PREVIOUS'));
  } catch (error) {
    throw new ConfigError((error as Error).message, { cause: error });
  }
}

export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Config {
  const dataDir = resolve(cwd, env.GIBBON_DATA_DIR ?? '.gibbon-data');
  const masterKey = env.GIBBON_MASTER_KEY;
  let key: Buffer | undefined;
  try {
    key =
      masterKey === undefined || masterKey === ''
        ? undefined
        : parseMasterKey(masterKey, 'GIBBON_MASTER_KEY');
  } catch (error) {
    throw new ConfigError((error as Error).message, { cause: error });
  }
  const target = database(env, dataDir);
  return {
    dataDir,
    port: port(env),
    host: env.GIBBON_HOST ?? '0.0.0.0',
    publicUrl: httpUrl(env, 'GIBBON_PUBLIC_URL', 'http://localhost:8080'),
    database: target,
    masterKey: key,
    previousMasterKeys: previousMasterKeys(env, key),
    githubApiUrl: httpUrl(env, 'GIBBON_GITHUB_API_URL', 'https://api.github.com'),
    storage: storage(env, dataDir),
    leaseSeconds: leaseSeconds(env),
    bodyTimeoutSeconds: bodyTimeoutSeconds(env),
    gitHosts: gitHosts(env),
    webDir: webDir(env, cwd),
    metricsToken: metricsToken(env),
    commitStatusMaxAgeSeconds: commitStatusMaxAgeSeconds(env),
    apiWorkers: apiWorkers(env, target),
    logLevel: logLevelFromEnv(env, (message) => new ConfigError(message)),
    retentionSweepSeconds: retentionSweepSeconds(env),
  };
}

function webDir(env: Env, cwd: string): string | undefined {
  const setting = env.GIBBON_WEB_DIR;
  if (setting === '') return undefined;
  if (setting !== undefined) return resolve(cwd, setting);
  return join(dirname(require.resolve('@gibbon/web/package.json')), 'dist');
}

/** At least 16 characters of no white space: it is a bearer secret, sent in a header. */
function metricsToken(env: Env): string | undefined {
  const token = env.GIBBON_METRICS_TOKEN;
  if (token === undefined || token === '') return undefined;
  if (!/^\S{16,}$/.test(token)) {
    throw new ConfigError(
      'GIBBON_METRICS_TOKEN must be at least 16 characters without spaces; generate one with `openssl rand -hex 32`.',
    );
  }
  return token;
}

function apiWorkers(env: Env, target: DatabaseTarget): number {
  const raw = env.GIBBON_API_WORKERS;
  if (raw === undefined || raw === '') {
    return target.backend === 'postgres' ? Math.min(availableParallelism(), 64) : 1;
  }
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1 || value > 64) {
    throw new ConfigError(
      `GIBBON_API_WORKERS=${JSON.stringify(raw)} is not valid; use a whole number of processes from 1 to 64.`,
    );
  }
  if (value > 1 && target.backend === 'sqlite') {
    throw new ConfigError(
      `GIBBON_API_WORKERS=${value} needs Postgres: on SQLite the processes could not tell each other about new builds and log lines. Set GIBBON_DATABASE_URL, or GIBBON_API_WORKERS=1.`,
    );
  }
  return value;
}

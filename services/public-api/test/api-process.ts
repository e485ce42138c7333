import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Claim } from '@gibbon/contracts';

/** public-api as its own process, as `pnpm start` runs it (tsx on the sources). */
export interface ApiProcess {
  readonly url: string;
  /** Its JSON log lines so far. */
  readonly logLines: string[];
  /** The process started (with `workers` > 1, the primary). */
  readonly pid: number;
  /** Its exit code, once it exited. */
  exitCode(): number | null;
  /** SIGTERM, as an operator stops it; resolves when it exited. */
  stop(): Promise<void>;
}

export interface ApiProcessSettings {
  readonly dataDir: string;
  /** Unset: SQLite in `dataDir`. */
  readonly databaseUrl?: string;
  readonly githubApiUrl: string;
  /** Base64 of 32 bytes; processes on one database must share it. */
  readonly masterKey: string;
  /** `GIBBON_API_WORKERS`; 1 unless a test is about workers (one process is what it observes). */
  readonly workers?: number;
  readonly metricsToken?: string;
}

export async function startApiProcess(settings: ApiProcessSettings): Promise<ApiProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@gibbon/source', 'src/main.ts'],
    {
      cwd: join(__dirname, '..'),
      env: {
        PATH: process.env.PATH,
        GIBBON_DATA_DIR: settings.dataDir,
        GIBBON_PORT: '0',
        GIBBON_HOST: '127.0.0.1',
        GIBBON_PUBLIC_URL: 'http://gibbon.test',
        GIBBON_GITHUB_API_URL: settings.githubApiUrl,
        GIBBON_GIT_HOSTS: 'git.example.test',
        GIBBON_MASTER_KEY: settings.masterKey,
        GIBBON_WEB_DIR: '',
        GIBBON_API_WORKERS: String(settings.workers ?? 1),
        ...(settings.databaseUrl && { GIBBON_DATABASE_URL: settings.databaseUrl }),
        ...(settings.metricsToken && { GIBBON_METRICS_TOKEN: settings.metricsToken }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const logLines: string[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let partial = '';
    child.stdout.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      logLines.push(...lines);
      const match = /"url":"(http:[^"]+)"/.exec(lines.join('\n'));
      if (match?.[1]) resolve(match[1]);
    });
    void exited.then(() => reject(new Error(`public-api exited before listening: ${stderr}`)));
  });
  return {
    url,
    logLines,
    pid: child.pid ?? 0,
    exitCode: () => child.exitCode,
    stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Calls `api` as the admin of `dataDir` (its `admin-token` file); throws on a non-2xx answer. */
export async function adminCall<T>(
  api: ApiProcess,
  dataDir: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const token = (await readFile(join(dataDir, 'admin-token'), 'utf8')).trim();
  return call<T>(api, token, method, path, body);
}

export async function call<T>(
  api: ApiProcess,
  token: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const response = await fetch(api.url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

/** Claims the oldest queued build as `runnerToken` and finishes it with `status`. */
export async function runBuild(api: ApiProcess, runnerToken: string, status: string) {
  const claim = await call<Claim>(api, runnerToken, 'POST', '/v1/runner/claim?wait=0', {});
  await call(
    api,
    claim.buildToken,
    'POST',
    `/v1/runner/builds/${claim.build.id}/result`,
    { status },
    {
      'x-gibbon-lease': claim.lease.id,
    },
  );
  return claim;
}

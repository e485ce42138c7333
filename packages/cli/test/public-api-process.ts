import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const mainTs = join(__dirname, '..', '..', '..', 'services', 'public-api', 'src', 'main.ts');

export interface PublicApiProcess {
  url: string;
  adminToken: string;
  /** Calls the API as the admin, for test setup. */
  call(method: string, path: string, body?: unknown): Promise<Response>;
  /**
   * Ends the process and keeps its data folder: `SIGTERM` stops it as an operator would,
   * `SIGKILL` is a crash. Safe to call when it is down already.
   */
  halt(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Starts it again on the same port and data folder (after `halt`). */
  resume(): Promise<void>;
  /** Ends it for good and removes its data folder. */
  stop(): Promise<void>;
}

interface Running {
  child: ChildProcess;
  url: string;
  /** Only a first start prints it: the data folder keeps its hash. */
  adminToken?: string;
}

/**
 * public-api as its own process (sources through tsx), on a free loopback port with a fresh
 * data folder: the server the CLI's API commands talk to, as a user's would. `halt` and
 * `resume` restart it in between, as its operator would.
 */
export async function startPublicApi(): Promise<PublicApiProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), 'gibbon-cli-api-'));
  let running: Running | undefined = await spawnPublicApi(dataDir, '0', true);
  const { url, adminToken } = running as Required<Running>;
  const port = new URL(url).port;
  const halt = async (signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM') => {
    const child = running?.child;
    running = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  };
  return {
    url,
    adminToken,
    call: (method, path, body) =>
      fetch(`${url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${adminToken}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    halt,
    async resume() {
      running ??= await spawnPublicApi(dataDir, port, false);
    },
    async stop() {
      await halt();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Starts the process; resolves once it listens (and, on a first start, told the admin token). */
async function spawnPublicApi(dataDir: string, port: string, first: boolean): Promise<Running> {
  const loader = pathToFileURL(createRequire(__filename).resolve('tsx')).href;
  const child: ChildProcess = spawn(
    process.execPath,
    ['--conditions=@gibbon/source', '--import', loader, mainTs],
    {
      env: {
        ...process.env,
        GIBBON_DATA_DIR: dataDir,
        GIBBON_PORT: port,
        GIBBON_HOST: '127.0.0.1',
        // The tests' repositories live on git.example.test, allowed as an operator would.
        GIBBON_GIT_HOSTS: 'git.example.test',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  return new Promise<Running>((resolve, reject) => {
    const check = (): void => {
      const url = /"url":"(http:\/\/[^"]+)"/.exec(stdout)?.[1];
      const adminToken = /Admin token[^\n]*\n\s+(\S+)/.exec(stderr)?.[1];
      if (url && (adminToken || !first)) resolve({ child, url, adminToken });
    };
    child.stdout?.on('data', (chunk: Buffer) => ((stdout += chunk.toString()), check()));
    child.stderr?.on('data', (chunk: Buffer) => ((stderr += chunk.toString()), check()));
    child.on('exit', (code) => reject(new Error(`public-api exited (${code}): ${stderr}`)));
  });
}

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
  stop(): Promise<void>;
}

/**
 * public-api as its own process (sources through tsx), on a free loopback port with a fresh
 * data folder: the server the CLI's API commands talk to, as a user's would.
 */
export async function startPublicApi(): Promise<PublicApiProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), 'gibbon-cli-api-'));
  const loader = pathToFileURL(createRequire(__filename).resolve('tsx')).href;
  const child: ChildProcess = spawn(
    process.execPath,
    ['--conditions=@gibbon/source', '--import', loader, mainTs],
    {
      env: {
        ...process.env,
        GIBBON_DATA_DIR: dataDir,
        GIBBON_PORT: '0',
        GIBBON_HOST: '127.0.0.1',
        // The tests' repositories live on git.example.test, allowed as an operator would.
        GIBBON_GIT_HOSTS: 'git.example.test',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  const ready = new Promise<{ url: string; adminToken: string }>((resolve, reject) => {
    const check = (): void => {
      const url = /"url":"(http:\/\/[^"]+)"/.exec(stdout)?.[1];
      const adminToken = /Admin token[^\n]*\n\s+(\S+)/.exec(stderr)?.[1];
      if (url && adminToken) resolve({ url, adminToken });
    };
    child.stdout?.on('data', (chunk: Buffer) => ((stdout += chunk.toString()), check()));
    child.stderr?.on('data', (chunk: Buffer) => ((stderr += chunk.toString()), check()));
    child.on('exit', (code) => reject(new Error(`public-api exited (${code}): ${stderr}`)));
  });
  const { url, adminToken } = await ready;
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
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureTestImage, startGitRemote, type GitRemote } from '@gibbon/test-kit';
import { freePort } from '../build/harness/free-port';
import { processesUsing, StartProcess, startEnv } from './start-process';

// `pnpm start` as a user meets it: two processes, one data folder, the URL, Ctrl-C.
// The first start builds the services (turbo; cached afterwards), so it gets a long timeout.

interface SavedRunner {
  readonly id: string;
  readonly token: string;
}
interface RunnerList {
  readonly items: readonly { id: string; name: string }[];
}

const running = 'Gibbon CI is running at';
let workDir: string;
let started: StartProcess[] = [];

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'gibbon-start-'));
});
afterEach(() => {
  for (const start of started) start.kill();
  started = [];
});
afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

function launch(env: NodeJS.ProcessEnv, args: readonly string[] = []): StartProcess {
  const start = StartProcess.launch(env, args);
  started.push(start);
  return start;
}

async function api<T>(port: number, path: string, token: string, method = 'GET'): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}` },
  });
  expect(res.status).toBeLessThan(300);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

async function stopWith(start: StartProcess, signal: NodeJS.Signals, dataDir: string) {
  start.signal(signal);
  expect(await start.exited).toEqual({ code: 0, signal: null });
  expect(await processesUsing(dataDir)).toEqual([]);
}

describe('pnpm start with the embedded defaults', () => {
  const dataDir = () => join(workDir, 'data');
  let port: number;

  beforeAll(async () => {
    port = await freePort();
  });

  test('first start: serves /healthz, shows the admin token once, registers and starts the runner; Ctrl-C stops both', async () => {
    const start = launch(startEnv(dataDir(), port));
    await start.waitFor(running, 240_000);

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    const adminToken = (await readFile(join(dataDir(), 'admin-token'), 'utf8')).trim();
    expect(start.output).toContain(
      `Admin token (shown this once; saved with mode 0600 in ${join(dataDir(), 'admin-token')}):`,
    );
    expect(start.output.split(adminToken)).toHaveLength(2); // printed exactly once
    expect(start.output).toContain(`Gibbon CI is running at http://localhost:${port}`);
    expect(start.output).toContain('Next steps:');
    expect((await stat(join(dataDir(), 'admin-token'))).mode & 0o777).toBe(0o600);

    const saved = JSON.parse(
      await readFile(join(dataDir(), 'runner-token.json'), 'utf8'),
    ) as SavedRunner;
    expect((await stat(join(dataDir(), 'runner-token.json'))).mode & 0o777).toBe(0o600);
    const runners = await api<RunnerList>(port, '/v1/runners', adminToken);
    expect(runners.items.map((runner) => runner.id)).toEqual([saved.id]);
    await start.waitFor('build-runner | ', 20_000);
    // pnpm start, public-api and build-runner.
    expect(await processesUsing(dataDir())).toHaveLength(3);

    await stopWith(start, 'SIGINT', dataDir());
    expect(start.output).toContain('build-runner stopped');
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow('fetch failed');
  }, 300_000);

  test('second start reuses the data: no admin token shown, same runner; a deleted runner is registered again', async () => {
    const adminToken = (await readFile(join(dataDir(), 'admin-token'), 'utf8')).trim();
    const first = JSON.parse(
      await readFile(join(dataDir(), 'runner-token.json'), 'utf8'),
    ) as SavedRunner;

    const second = launch(startEnv(dataDir(), port), ['--no-build']);
    await second.waitFor(running, 60_000);
    expect(second.output).not.toContain('Admin token');
    expect(second.output).not.toContain(adminToken);
    const reused = JSON.parse(
      await readFile(join(dataDir(), 'runner-token.json'), 'utf8'),
    ) as SavedRunner;
    expect(reused).toEqual(first);
    await api(port, `/v1/runners/${first.id}`, adminToken, 'DELETE');
    await stopWith(second, 'SIGTERM', dataDir());

    const third = launch(startEnv(dataDir(), port), ['--no-build']);
    await third.waitFor(running, 60_000);
    const renewed = JSON.parse(
      await readFile(join(dataDir(), 'runner-token.json'), 'utf8'),
    ) as SavedRunner;
    expect(renewed.id).not.toBe(first.id);
    const runners = await api<RunnerList>(port, '/v1/runners', adminToken);
    expect(runners.items.map((runner) => runner.id)).toEqual([renewed.id]);
    await stopWith(third, 'SIGINT', dataDir());
  }, 150_000);
});

describe('a build through pnpm start', () => {
  let remote: GitRemote;

  beforeAll(async () => {
    remote = await startGitRemote();
  });
  afterAll(async () => {
    await remote.close();
  });

  async function call<T>(
    port: number,
    token: string,
    method: string,
    path: string,
    body?: unknown,
  ) {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
    return JSON.parse(text) as T;
  }

  test('a repository with a container job, triggered through the API, builds to success', async () => {
    const image = await ensureTestImage();
    const repo = await remote.createRepository('hello');
    const commit = await repo.commit(
      {
        '.gibbon/build.ts': [
          "import { container, pipeline } from '@gibbon/sdk';",
          `export default pipeline(() => [container('hello', { image: ${JSON.stringify(image)}, script: ['echo hello from gibbon'] })]);`,
          '',
        ].join('\n'),
      },
      { message: 'build script' },
    );
    const dataDir = join(workDir, 'build-data');
    const port = await freePort();
    const start = launch(startEnv(dataDir, port, { GIBBON_JOB_NETWORK: 'none' }), ['--no-build']);
    await start.waitFor(running, 60_000);
    const token = (await readFile(join(dataDir, 'admin-token'), 'utf8')).trim();
    await call(port, token, 'POST', '/v1/orgs', { slug: 'acme' });
    await call(port, token, 'POST', '/v1/orgs/acme/repos', { name: 'hello', url: repo.url });
    const triggered = await call<{ number: number }>(
      port,
      token,
      'POST',
      '/v1/orgs/acme/repos/hello/builds',
      {
        branch: 'main',
      },
    );

    let build = { status: 'queued', commit: '' } as { status: string; commit?: string };
    const deadline = Date.now() + 90_000;
    while (['queued', 'running'].includes(build.status) && Date.now() < deadline) {
      await new Promise((done) => setTimeout(done, 500));
      build = await call(
        port,
        token,
        'GET',
        `/v1/orgs/acme/repos/hello/builds/${triggered.number}`,
      );
    }
    expect(build).toMatchObject({ status: 'success' });
    expect(JSON.stringify(build)).toContain(commit);
    const log = await fetch(
      `http://127.0.0.1:${port}/v1/orgs/acme/repos/hello/builds/${triggered.number}/jobs/hello/logs`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    expect(await log.text()).toContain('hello from gibbon');
    await stopWith(start, 'SIGINT', dataDir);
  }, 150_000);
});

describe('pnpm start refuses with one clear line', () => {
  async function refusal(env: NodeJS.ProcessEnv): Promise<string> {
    const start = launch(env, ['--no-build']);
    expect(await start.exited).toEqual({ code: 1, signal: null });
    const lines = start.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(await processesUsing(env.GIBBON_DATA_DIR ?? '')).toEqual([]);
    return lines[0] ?? '';
  }

  test('when the port is in use', async () => {
    const taken: Server = createServer();
    const port = await new Promise<number>((done) =>
      taken.listen(0, () => done((taken.address() as { port: number }).port)),
    );
    try {
      const line = await refusal(startEnv(join(workDir, 'port'), port));
      expect(line).toBe(
        `gibbon: Port ${port} is already in use; stop the other process or set GIBBON_PORT to a free port.`,
      );
    } finally {
      taken.close();
    }
  });

  test('when Docker is not reachable', async () => {
    const socket = join(workDir, 'no-docker.sock');
    const env = startEnv(join(workDir, 'docker'), await freePort(), {
      DOCKER_HOST: `unix://${socket}`,
    });
    expect(await refusal(env)).toBe(
      `gibbon: Docker is not reachable at unix://${socket} (ENOENT); start the Docker engine (or point DOCKER_HOST at one); the build-runner runs container jobs on it.`,
    );
  });

  test('when the data folder cannot be written', async () => {
    // Root ignores permission bits, so the folder is made impossible: its parent is a file.
    const file = join(workDir, 'a-file');
    await writeFile(file, '');
    const dataDir = join(file, 'data');
    expect(await refusal(startEnv(dataDir, await freePort()))).toBe(
      `gibbon: The data folder ${dataDir} is not writable (ENOTDIR); set GIBBON_DATA_DIR to a folder you can write to.`,
    );
  });

  test("a service's own one-line error is passed through", async () => {
    const env = startEnv(join(workDir, 'bad-db'), await freePort(), {
      GIBBON_DATABASE_URL: 'mysql://nope',
    });
    expect(await refusal(env)).toBe(
      'gibbon public-api: GIBBON_DATABASE_URL must be a postgres://user:password@host:port/database URL, or unset for SQLite.',
    );
  }, 60_000);
});

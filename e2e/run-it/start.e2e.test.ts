import {
  chmod,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureTestImage, startGitRemote, type GitRemote } from '@gibbon/test-kit';
import { removeContainersWithLabel } from '../build/harness/docker';
import { freePort } from '../build/harness/free-port';
import { processesUsing, StartProcess, startEnv, type StartCommand } from './start-process';

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

function launch(
  env: NodeJS.ProcessEnv,
  args: readonly string[] = [],
  command?: StartCommand,
): StartProcess {
  const start = StartProcess.launch(env, args, command);
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
    expect(start.output).toContain(`Open http://localhost:${port} in a browser`);
    expect(start.output).toContain('Next steps:');
    // The printed URL is the web page (built by pnpm start), its script a hashed asset.
    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const script = /<script type="module" crossorigin src="(\/assets\/[^"]+\.js)"/.exec(
      await page.text(),
    );
    expect(script).not.toBeNull();
    expect((await fetch(`http://127.0.0.1:${port}${script![1]}`)).status).toBe(200);
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
    // Both services are up and have written their files: none is open to other users.
    expect(await readdir(dataDir())).toEqual(
      expect.arrayContaining([
        'admin-token',
        'gibbon.sqlite',
        'gibbon.sqlite-wal',
        'gibbon.sqlite-shm',
        'master.key',
        'runner-token.json',
        'storage',
        // A root runner keeps its work folder outside, for its builds' own uids to pass.
        ...(process.getuid?.() === 0 ? [] : ['runner-work']),
      ]),
    );
    expect(await openToOthers(dataDir())).toEqual([]);

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

describe('gibbon server', () => {
  test("runs the same system with the data folder in the caller's folder; SIGTERM stops it", async () => {
    const folder = join(workDir, 'server-user');
    await mkdir(folder);
    const dataDir = join(folder, '.gibbon-data');
    const port = await freePort();
    const env = startEnv(dataDir, port);
    delete env.GIBBON_DATA_DIR; // the default: .gibbon-data in the folder it runs in
    const server = launch(env, ['--no-build'], { via: 'gibbon server', cwd: folder });
    await server.waitFor(running, 120_000);
    expect(server.output).toContain(`Gibbon CI is running at http://localhost:${port}`);
    expect(server.output).toContain(`saved with mode 0600 in ${join(dataDir, 'admin-token')}`);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    await server.waitFor('build-runner | ', 20_000);
    // public-api and build-runner (the CLI and start.mjs get the data folder by default only).
    expect(await processesUsing(dataDir)).toHaveLength(2);

    server.signal('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow('fetch failed');
    expect(server.output).toContain('build-runner stopped');
    // The services ran in the server's own process group; none is left behind.
    expect(await processesUsing(dataDir)).toEqual([]);
  }, 180_000);
});

/** Every path under `root` (itself included) whose mode grants group or others anything. */
async function openToOthers(root: string): Promise<string[]> {
  const info = await lstat(root);
  const found = (info.mode & 0o077) === 0 ? [] : [`${root} ${(info.mode & 0o777).toString(8)}`];
  if (!info.isDirectory()) return found;
  for (const name of await readdir(root)) found.push(...(await openToOthers(join(root, name))));
  return found;
}

/** Forced stops kill the services without waiting for them; their exit takes a moment. */
async function waitForNoProcess(dataDir: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while ((await processesUsing(dataDir)).length > 0 && Date.now() < deadline) {
    await new Promise((done) => setTimeout(done, 200));
  }
  expect(await processesUsing(dataDir)).toEqual([]);
}

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

  /** Creates org acme and a repository of `url` in a running system; triggers a build of main. */
  async function triggerBuild(port: number, dataDir: string, name: string, url: string) {
    const token = (await readFile(join(dataDir, 'admin-token'), 'utf8')).trim();
    await call(port, token, 'POST', '/v1/orgs', { slug: 'acme' });
    await call(port, token, 'POST', '/v1/orgs/acme/repos', { name, url });
    const path = `/v1/orgs/acme/repos/${name}/builds`;
    const build = await call<{ id: string; number: number }>(port, token, 'POST', path, {
      branch: 'main',
    });
    return { token, build, buildPath: `${path}/${build.number}` };
  }

  function buildScript(job: string): string {
    return [
      "import { container, pipeline } from '@gibbon/sdk';",
      `export default pipeline(() => [${job}]);`,
      '',
    ].join('\n');
  }

  test('a repository with a container job, triggered through the API, builds to success', async () => {
    const image = JSON.stringify(await ensureTestImage());
    const repo = await remote.createRepository('hello');
    const commit = await repo.commit(
      {
        '.gibbon/build.ts': buildScript(
          `container('hello', { image: ${image}, script: ['echo hello from gibbon'] })`,
        ),
      },
      { message: 'build script' },
    );
    const dataDir = join(workDir, 'build-data');
    const port = await freePort();
    // The test remote is on 127.0.0.1: allowed as an operator would, through GIBBON_GIT_HOSTS.
    const env = startEnv(dataDir, port, {
      GIBBON_JOB_NETWORK: 'none',
      GIBBON_GIT_HOSTS: '127.0.0.1',
    });
    const start = launch(env, ['--no-build']);
    await start.waitFor(running, 60_000);
    const { token, buildPath } = await triggerBuild(port, dataDir, 'hello', repo.url);

    let build = { status: 'queued', commit: '' } as { status: string; commit?: string };
    const deadline = Date.now() + 90_000;
    while (['queued', 'running'].includes(build.status) && Date.now() < deadline) {
      await new Promise((done) => setTimeout(done, 500));
      build = await call(port, token, 'GET', buildPath);
    }
    expect(build).toMatchObject({ status: 'success' });
    expect(JSON.stringify(build)).toContain(commit);
    const log = await fetch(`http://127.0.0.1:${port}${buildPath}/jobs/hello/logs`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(await log.text()).toContain('hello from gibbon');
    await stopWith(start, 'SIGINT', dataDir);
    // What the build left (logs, the compile cache, ...) passes public-api's check at its next
    // start: nothing directly in the data folder is open to other users.
    const loose: string[] = [];
    for (const name of await readdir(dataDir)) {
      const { mode } = await stat(join(dataDir, name));
      if ((mode & 0o077) !== 0) loose.push(`${name} ${(mode & 0o777).toString(8)}`);
    }
    expect(loose).toEqual([]);
  }, 150_000);

  test('gibbon server: a second Ctrl-C while a build runs forces the stop; no service is left', async () => {
    const image = JSON.stringify(await ensureTestImage());
    const repo = await remote.createRepository('ticking');
    const ticks = "'for i in $(seq 1 120); do echo tick $i; sleep 1; done'";
    await repo.commit(
      {
        '.gibbon/build.ts': buildScript(
          `container('ticks', { image: ${image}, script: [${ticks}] })`,
        ),
      },
      { message: 'a long build' },
    );
    const folder = join(workDir, 'server-forced');
    await mkdir(folder);
    const dataDir = join(folder, 'data');
    const port = await freePort();
    const env = startEnv(dataDir, port, {
      GIBBON_JOB_NETWORK: 'none',
      GIBBON_GIT_HOSTS: '127.0.0.1',
    });
    const server = launch(env, ['--no-build'], { via: 'gibbon server', cwd: folder });
    await server.waitFor(running, 120_000);
    const { token, build, buildPath } = await triggerBuild(port, dataDir, 'ticking', repo.url);
    try {
      const deadline = Date.now() + 60_000;
      let log = '';
      while (!log.includes('tick 2') && Date.now() < deadline) {
        await new Promise((done) => setTimeout(done, 500));
        const res = await fetch(`http://127.0.0.1:${port}${buildPath}/jobs/ticks/logs`, {
          headers: { authorization: `Bearer ${token}` },
        });
        log = res.ok ? await res.text() : '';
      }
      expect(log).toContain('tick 2');

      // The first Ctrl-C stops in order: the runner waits for its build, two minutes long.
      server.signal('SIGINT');
      await server.waitFor('Stopping Gibbon CI', 10_000);
      await new Promise((done) => setTimeout(done, 1_500)); // the CLI takes a doubled Ctrl-C as one
      server.signal('SIGINT');
      expect(await server.exited).toEqual({ code: 130, signal: null });
      await waitForNoProcess(dataDir);
    } finally {
      // The forced runner left its job container; its next start would reap it.
      await removeContainersWithLabel('gibbon.build', build.id);
    }
  }, 180_000);
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

  test('when a key file in the data folder is readable by others', async () => {
    // As a copy with `cp` or an extracted backup leaves it: the key file readable by all.
    const dataDir = join(workDir, 'loose-key');
    await mkdir(dataDir, { mode: 0o700 });
    await writeFile(join(dataDir, 'master.key'), 'a key\n');
    await chmod(join(dataDir, 'master.key'), 0o644);
    expect(await refusal(startEnv(dataDir, await freePort()))).toBe(
      `gibbon public-api: ${join(dataDir, 'master.key')} has mode 0644 (group or others have access); the data folder holds the master key, tokens and database and must be private to its owner: run chmod -R go-rwx ${dataDir} (and rotate the keys if someone else may have read them).`,
    );
  }, 60_000);

  test("a service's own one-line error is passed through", async () => {
    const env = startEnv(join(workDir, 'bad-db'), await freePort(), {
      GIBBON_DATABASE_URL: 'mysql://nope',
    });
    expect(await refusal(env)).toBe(
      'gibbon public-api: GIBBON_DATABASE_URL must be a postgres://user:password@host:port/database URL, or unset for SQLite.',
    );
  }, 60_000);
});

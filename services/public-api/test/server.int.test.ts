import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, lstat, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config';
import { createMemoryLogger } from '../src/logger';
import { StartupError, startServer } from '../src/server';

const serviceRoot = join(__dirname, '..');

describe('starting the service', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'gibbon-start-'));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  const configFor = (env: Record<string, string> = {}) =>
    loadConfig({ GIBBON_DATA_DIR: dataDir, GIBBON_PORT: '0', ...env }, '/');

  it('first start makes the master key and admin token files (0600) and shows the token once', async () => {
    const shown: string[] = [];
    const options = {
      logger: createMemoryLogger(),
      announceAdminToken: (secret: string) => void shown.push(secret),
    };
    const first = await startServer(configFor(), options);
    expect(shown).toHaveLength(1);
    const tokenFile = join(dataDir, 'admin-token');
    expect((await readFile(tokenFile, 'utf8')).trim()).toBe(shown[0]);
    expect((await stat(tokenFile)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dataDir, 'master.key'))).mode & 0o777).toBe(0o600);
    const orgs = await fetch(`${first.url}/v1/orgs`, {
      headers: { authorization: `Bearer ${shown[0]}` },
    });
    expect(orgs.status).toBe(200);
    await first.stop();

    const second = await startServer(configFor(), options);
    expect(shown).toHaveLength(1); // not shown again, and the old one still works
    const again = await fetch(`${second.url}/v1/orgs`, {
      headers: { authorization: `Bearer ${shown[0]}` },
    });
    expect(again.status).toBe(200);
    await second.stop();
    await second.stop(); // safe twice
  });

  it('stop lets a request in flight finish, refuses new ones, then closes the database', async () => {
    let adminToken = '';
    const server = await startServer(configFor(), {
      logger: createMemoryLogger(),
      announceAdminToken: (secret) => void (adminToken = secret),
    });
    const { port } = new URL(server.url);
    const body = JSON.stringify({ slug: 'in-flight' });
    const socket = connect(Number(port), '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    const ended = new Promise<void>((resolve) => socket.on('end', resolve));
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    // Headers and half the body now; the rest only after stop() has begun.
    socket.write(
      `POST /v1/orgs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${adminToken}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stopped = server.stop();
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
    socket.end(body.slice(5));
    await ended;
    expect(answer).toMatch(/^HTTP\/1\.1 201 /);
    await stopped;
    await expect(server.services.orgs.list()).rejects.toThrow();
  });

  it('stop answers a waiting claim 204 at once instead of holding the close', async () => {
    let admin = '';
    const server = await startServer(configFor(), {
      logger: createMemoryLogger(),
      announceAdminToken: (secret) => (admin = secret),
    });
    const registered = await fetch(`${server.url}/v1/runners`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'r' }),
    });
    const { token } = (await registered.json()) as { token: string };
    const claim = fetch(`${server.url}/v1/runner/claim?wait=30`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const stoppedAt = Date.now();
    await server.stop();
    expect((await claim).status).toBe(204);
    expect(Date.now() - stoppedAt).toBeLessThan(3000);
  });

  it('uses GIBBON_MASTER_KEY instead of a key file when set', async () => {
    const server = await startServer(
      configFor({ GIBBON_MASTER_KEY: randomBytes(32).toString('base64') }),
      {
        logger: createMemoryLogger(),
        announceAdminToken: () => undefined,
      },
    );
    await expect(stat(join(dataDir, 'master.key'))).rejects.toMatchObject({ code: 'ENOENT' });
    await server.stop();
  });

  it('first start leaves nothing in the data folder open to other users, under a umask of 022', async () => {
    const previous = process.umask(0o022);
    try {
      const server = await startServer(configFor(), {
        logger: createMemoryLogger(),
        announceAdminToken: () => undefined,
      });
      await server.services.orgs.create({ slug: 'acme' });
      const names = await readdir(dataDir);
      // The database with its write-ahead log, the keys and token, and the storage folders.
      expect(names).toEqual(
        expect.arrayContaining([
          'admin-token',
          'gibbon.sqlite',
          'gibbon.sqlite-wal',
          'master.key',
          'storage',
        ]),
      );
      expect(await openToOthers(dataDir)).toEqual([]);
      await server.stop();
    } finally {
      process.umask(previous);
    }
  });

  it('refuses to start when a key file in the data folder is readable by others', async () => {
    const first = await startServer(configFor(), {
      logger: createMemoryLogger(),
      announceAdminToken: () => undefined,
    });
    await first.stop();
    await chmod(join(dataDir, 'master.key'), 0o644);
    const start = startServer(configFor(), {
      logger: createMemoryLogger(),
      announceAdminToken: () => undefined,
    });
    await expect(start).rejects.toThrow(StartupError);
    await expect(start).rejects.toThrow(
      `${join(dataDir, 'master.key')} has mode 0644 (group or others have access); the data folder holds the master key, tokens and database and must be private to its owner: run chmod -R go-rwx ${dataDir} (and rotate the keys if someone else may have read them).`,
    );
    await chmod(join(dataDir, 'master.key'), 0o600);
    const fixed = await startServer(configFor(), {
      logger: createMemoryLogger(),
      announceAdminToken: () => undefined,
    });
    await fixed.stop();
  });

  it('a port in use stops the start with one clear line', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    const start = startServer(configFor({ GIBBON_PORT: String(port) }), {
      logger: createMemoryLogger(),
      announceAdminToken: () => undefined,
    });
    await expect(start).rejects.toThrow(StartupError);
    await expect(start).rejects.toThrow(`Port ${port} is already in use`);
    blocker.close();
  });
});

/** Every path under `root` whose mode grants group or others anything, with that mode. */
async function openToOthers(root: string): Promise<string[]> {
  const found: string[] = [];
  const info = await lstat(root);
  if ((info.mode & 0o077) !== 0) found.push(`${root} ${(info.mode & 0o777).toString(8)}`);
  if (!info.isDirectory()) return found;
  for (const name of await readdir(root)) found.push(...(await openToOthers(join(root, name))));
  return found;
}

function runMain(env: Record<string, string>): {
  output: () => { stdout: string; stderr: string };
  exited: Promise<number | null>;
  kill: (signal: NodeJS.Signals) => void;
} {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@gibbon/source', 'src/main.ts'],
    {
      cwd: serviceRoot,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        GIBBON_HOST: '127.0.0.1',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return { output: () => ({ stdout, stderr }), exited, kill: (signal) => child.kill(signal) };
}

async function waitFor<T>(probe: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('Timed out waiting for the service.');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('main as a process', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'gibbon-main-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('starts, logs JSON, and exits 0 on SIGTERM', async () => {
    const service = runMain({ GIBBON_DATA_DIR: dataDir, GIBBON_PORT: '0' });
    const url = await waitFor(() => /"url":"(http:[^"]+)"/.exec(service.output().stdout)?.[1]);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const token = (await readFile(join(dataDir, 'admin-token'), 'utf8')).trim();
    expect(service.output().stderr).toContain(token);
    expect(await openToOthers(dataDir)).toEqual([]);
    service.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    const { stdout } = service.output();
    for (const line of stdout.trim().split('\n'))
      expect(() => JSON.parse(line) as unknown).not.toThrow();
    expect(stdout).not.toContain(token);
  });

  it('a bad setting exits 1 with one line naming the variable', async () => {
    const service = runMain({ GIBBON_DATA_DIR: dataDir, GIBBON_PORT: 'http' });
    expect(await service.exited).toBe(1);
    const { stderr } = service.output();
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('GIBBON_PORT');
  });
});

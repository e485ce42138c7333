import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labelKeys } from '@gibbon/engine';
import { dockerClient, ensureTestImage } from '@gibbon/test-kit';
import { RunnerApiServer } from '../test/runner-api-server';

const tsx = join(__dirname, '..', 'node_modules', '.bin', 'tsx');
const main = join(__dirname, 'main.ts');
const docker = dockerClient();

let root: string;
let server: RunnerApiServer;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gibbon-runner-main-'));
  server = new RunnerApiServer();
  await server.start();
});

afterAll(async () => {
  await server.close();
  await rm(root, { recursive: true, force: true });
});

interface Started {
  child: ChildProcess;
  output: { stdout: string; stderr: string };
  exited: Promise<number | null>;
}

function startMain(env: Record<string, string>): Started {
  const child = spawn(tsx, ['--conditions=@gibbon/source', main], {
    env: { PATH: process.env.PATH ?? '', GIBBON_DATA_DIR: root, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = { stdout: '', stderr: '' };
  child.stdout?.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { child, output, exited };
}

async function until(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('build-runner main', () => {
  it('stops at start with one line naming a bad variable', async () => {
    const { output, exited } = startMain({
      GIBBON_RUNNER_TOKEN: 't',
      GIBBON_RUNNER_CAPACITY: 'lots',
    });
    expect(await exited).toBe(1);
    expect(output.stderr).toBe(
      'gibbon build-runner: GIBBON_RUNNER_CAPACITY="lots" is not valid; use a whole number from 1 to 256.\n',
    );
  }, 30_000);

  it('says so in one line when the Docker engine is not reachable', async () => {
    const { output, exited } = startMain({
      GIBBON_RUNNER_TOKEN: 't',
      DOCKER_HOST: `unix://${join(root, 'no-docker.sock')}`,
    });
    expect(await exited).toBe(1);
    expect(output.stderr).toMatch(
      /^gibbon build-runner: The Docker engine at .* is not reachable; start dockerd/,
    );
    expect(output.stderr.trim().split('\n')).toHaveLength(1);
  }, 30_000);

  it('says so in one line when the work folder cannot be written', async () => {
    // Root ignores permission bits, so the folder is made impossible: its parent is a file.
    const file = join(root, 'a-file');
    await writeFile(file, '');
    const workDir = join(file, 'work');
    const { output, exited } = startMain({
      GIBBON_SERVER_URL: server.url,
      GIBBON_RUNNER_TOKEN: server.runnerToken,
      GIBBON_RUNNER_WORK_DIR: workDir,
    });
    expect(await exited).toBe(1);
    expect(output.stderr).toBe(
      `gibbon build-runner: The work folder ${workDir} is not writable by uid ${process.getuid?.()} (ENOTDIR); create it for that user (e.g. install -d -o ${process.getuid?.()} ${workDir}) or set GIBBON_RUNNER_WORK_DIR.\n`,
    );
  }, 30_000);

  // Only a root runner lends its builds uids of their own (CI runs the tests as root).
  const asRoot = process.getuid?.() === 0 ? it : it.skip;
  asRoot(
    'says so in one line when the boxes of builds cannot reach the work folder',
    async () => {
      const closed = join(root, 'closed');
      await mkdir(closed, { mode: 0o700 });
      const workDir = join(closed, 'work');
      const { output, exited } = startMain({
        GIBBON_SERVER_URL: server.url,
        GIBBON_RUNNER_TOKEN: server.runnerToken,
        GIBBON_RUNNER_WORK_DIR: workDir,
      });
      expect(await exited).toBe(1);
      expect(output.stderr).toBe(
        `gibbon build-runner: Build scripts run under uids of their own (GIBBON_SANDBOX_UIDS), which cannot pass through ${closed} (mode 0700) to the work folder ${workDir}; allow it (chmod o+x ${closed}) or set GIBBON_RUNNER_WORK_DIR to a folder under one they can pass.\n`,
      );
    },
    30_000,
  );

  it('refuses to start when it cannot box build scripts, unless told to run them unsandboxed', async () => {
    // A PATH without bwrap: what a machine without bubblewrap gives.
    const bin = join(root, 'bin-without-bwrap');
    await mkdir(bin, { recursive: true });
    for (const [name, target] of [
      ['setpriv', '/usr/bin/setpriv'],
      ['choom', '/usr/bin/choom'],
      ['prlimit', '/usr/bin/prlimit'],
      ['node', process.execPath],
    ]) {
      await symlink(target!, join(bin, name!)).catch(() => undefined);
    }
    const env = {
      GIBBON_SERVER_URL: server.url,
      GIBBON_RUNNER_TOKEN: server.runnerToken,
      GIBBON_RUNNER_WORK_DIR: join(root, 'work-no-box'),
      PATH: bin,
    };
    const refused = startMain(env);
    expect(await refused.exited).toBe(1);
    expect(refused.output.stderr).toMatch(
      /^gibbon build-runner: Build scripts can't be sandboxed on this machine \(.*bwrap.*\); install bubblewrap .* or set GIBBON_UNSANDBOXED_SCRIPTS=1 to run them unsandboxed\.\n$/,
    );
    const optedOut = startMain({ ...env, GIBBON_UNSANDBOXED_SCRIPTS: '1' });
    await until(() => optedOut.output.stdout.includes('build-runner started'));
    expect(optedOut.output.stdout).toMatch(
      /"level":"error".*"message":"build scripts run UNSANDBOXED/,
    );
    optedOut.child.kill('SIGTERM');
    expect(await optedOut.exited).toBe(0);
  }, 30_000);

  it('refuses GIBBON_SCRIPT_USER, which boxes replaced', async () => {
    const { output, exited } = startMain({
      GIBBON_RUNNER_TOKEN: 't',
      GIBBON_SCRIPT_USER: '65534:65534',
    });
    expect(await exited).toBe(1);
    expect(output.stderr).toMatch(/^gibbon build-runner: GIBBON_SCRIPT_USER is no longer used/);
  }, 30_000);

  it('reaps its own earlier containers at start and exits 0 on SIGTERM', async () => {
    const image = await ensureTestImage();
    const leftover = await docker.createContainer({
      Image: image,
      Cmd: ['sleep', '600'],
      Labels: { [labelKeys.runner]: 'main-test-runner' },
      HostConfig: { NetworkMode: 'none' },
    });
    const unrelated = await docker.createContainer({
      Image: image,
      Cmd: ['true'],
      Labels: { [labelKeys.runner]: 'someone-else' },
      HostConfig: { NetworkMode: 'none' },
    });
    try {
      const { child, output, exited } = startMain({
        GIBBON_SERVER_URL: server.url,
        GIBBON_RUNNER_TOKEN: server.runnerToken,
        GIBBON_RUNNER_ID: 'main-test-runner',
        GIBBON_JOB_NETWORK: 'none',
      });
      await until(() => output.stdout.includes('build-runner started'));
      await expect(leftover.inspect()).rejects.toMatchObject({ statusCode: 404 });
      await expect(unrelated.inspect()).resolves.toBeDefined();
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(output.stdout).toContain('"message":"build-runner stopped"');
      expect(output.stdout + output.stderr).not.toContain(server.runnerToken);
    } finally {
      await leftover.remove({ force: true }).catch(() => undefined);
      await unrelated.remove({ force: true });
    }
  }, 60_000);
});

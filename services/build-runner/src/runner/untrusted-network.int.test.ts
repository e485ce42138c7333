import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gitHostAllowlistFromEnv } from '@gibbon/contracts';
import {
  defaultContainerConfig,
  DockerBackend,
  reapContainers,
  SandboxUidPool,
  type ScriptSandbox,
} from '@gibbon/engine';
import { LocalDiskBlobStore } from '@gibbon/storage';
import { dockerClient, startGitRemote, type GitRemote } from '@gibbon/test-kit';
import { claimFixture } from '../../test/claim-fixture';
import { RunnerApiServer } from '../../test/runner-api-server';
import { createMemoryLogger } from '../logger';
import { RunnerApiClient } from '../runner-api/client';
import { EngineExecutor } from './engine-executor';
import { Runner } from './runner';

// The claim's `repo.untrustedNetwork` reaches the boxed build script (docs/adr/0004-script-sandbox.md):
// an untrusted build's script reaches a server on the runner's loopback only when its
// repository opted in. The engine's run-build-network test covers the containers.
const docker = dockerClient();
const runnerId = `untrusted-network-${process.pid}`;
/** A build file whose one action fetches `url` and logs what happened. */
const buildFile = (url: string) => `import { action, pipeline } from '@gibbon/sdk';

export default pipeline(() => [
  action('probe', async (job) => {
    try {
      const answer = await fetch(${JSON.stringify(url)});
      job.log('loopback server answered: ' + (await answer.text()));
    } catch (error) {
      const code = (error as { cause?: { code?: string } }).cause?.code ?? String(error);
      job.log('loopback server unreachable: ' + code);
    }
  }),
]);
`;

let remote: GitRemote;
let repoUrl: string;
let root: string;
let store: LocalDiskBlobStore;
let server: RunnerApiServer;
let probe: Server;
let runner: Runner;
let running: Promise<void>;

async function until(check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  probe = createServer((_request, response) => response.end('runner-only service'));
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const probeUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}/`;
  remote = await startGitRemote();
  const repo = await remote.createRepository('app');
  await repo.commit({ '.gibbon/build.ts': buildFile(probeUrl) }, { message: 'Probe the network' });
  repoUrl = repo.url;
  root = await mkdtemp(join(tmpdir(), 'gibbon-untrusted-network-'));
  // A root runner's boxes run under uids of their own, which pass through to their checkout.
  await chmod(root, 0o711);
  store = new LocalDiskBlobStore({ root: join(root, 'storage') });
  await store.open();
  server = new RunnerApiServer();
  await server.start();
  const logger = createMemoryLogger();
  const backoff = { initialMs: 50, maxMs: 500 };
  const sandbox: ScriptSandbox = process.getuid?.() === 0 ? { uids: new SandboxUidPool() } : {};
  runner = new Runner({
    api: new RunnerApiClient(server.url, server.runnerToken),
    executor: new EngineExecutor({
      workDir: join(root, 'work'),
      compileCacheDir: join(root, 'compile-cache'),
      backend: new DockerBackend(docker, { ...defaultContainerConfig, runnerId, network: 'host' }),
      network: 'host',
      store,
      logger,
      backoff,
      logDrainTimeoutMs: 10_000,
      logFlushIntervalMs: 200,
      stopGraceSeconds: 1,
      gitHosts: gitHostAllowlistFromEnv({ GIBBON_GIT_HOSTS: '127.0.0.1' }),
      sandbox,
    }),
    logger,
    capacity: 2,
    drainTimeoutMs: 30_000,
    claimWaitSeconds: 1,
    backoff,
    heartbeat: { minIntervalMs: 100, maxIntervalMs: 500 },
    reportTimeoutMs: 10_000,
  });
  running = runner.run();
}, 120_000);

afterAll(async () => {
  runner.cancelAll();
  await running;
  await server.close();
  await remote.close();
  await store.close();
  await new Promise((resolve) => probe.close(resolve));
  await reapContainers(docker, { runner: runnerId });
  await rm(root, { recursive: true, force: true });
}, 60_000);

async function probeLog(id: string, trusted: boolean, untrustedNetwork: boolean) {
  server.enqueue(claimFixture({ id, url: repoUrl, trusted, untrustedNetwork }));
  await until(() => server.build(id).result !== undefined);
  expect(server.build(id).result).toEqual({ status: 'success' });
  return server.logOf(id, 'probe');
}

describe('an untrusted build on a sandboxed runner', () => {
  it('has no network when its repository did not opt in', async () => {
    const log = await probeLog('fork-default', false, false);
    expect(log).toContain('loopback server unreachable: ECONNREFUSED');
    expect(log).not.toContain('runner-only service');
  }, 120_000);

  it('reaches the runner loopback when its repository opted in, as a trusted build does', async () => {
    expect(await probeLog('fork-opted-in', false, true)).toContain(
      'loopback server answered: runner-only service',
    );
    expect(await probeLog('trusted', true, false)).toContain(
      'loopback server answered: runner-only service',
    );
  }, 120_000);
});

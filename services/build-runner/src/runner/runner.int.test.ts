import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gitHostAllowlistFromEnv } from '@gibbon/contracts';
import { defaultContainerConfig, DockerBackend, labelKeys, reapContainers } from '@gibbon/engine';
import { LocalDiskBlobStore } from '@gibbon/storage';
import {
  dockerClient,
  ensureTestImage,
  startGitRemote,
  type GitRemote,
  type TestRepository,
} from '@gibbon/test-kit';
import { claimFixture } from '../../test/claim-fixture';
import { RunnerApiServer } from '../../test/runner-api-server';
import { createMemoryLogger } from '../logger';
import { RunnerApiClient } from '../runner-api/client';
import { EngineExecutor } from './engine-executor';
import { startMetricsServer, type MetricsServer } from '../metrics/metrics-server';
import { RunnerMetrics } from '../metrics/runner-metrics';
import { Runner } from './runner';

const CANARY = 'canary-Zq8x-31337';
const CLONE_TOKEN = 'ghp_runnerIntCloneToken42';
const docker = dockerClient();
const runnerId = `runner-int-${process.pid}`;

let image: string;
let remote: GitRemote;
let root: string;
let workDir: string;
let store: LocalDiskBlobStore;
let server: RunnerApiServer;
let runner: Runner;
let running: Promise<void>;
let metricsServer: MetricsServer;
const metricsToken = 'runner-metrics-token-0123456789';

function buildScript(jobScript: string[]): string {
  return `import { action, container, pipeline } from '@gibbon/sdk';

export default pipeline(() => [
  container('hello', {
    image: ${JSON.stringify(image)},
    script: ${JSON.stringify(jobScript)},
    network: 'none',
  }),
  action('secret', async (job) => {
    job.log('param is ' + ((await job.param('CANARY', { optional: true })) ?? 'missing'));
  }, { dependsOn: ['hello'] }),
]);
`;
}

async function repository(
  name: string,
  jobScript: string[],
  auth = false,
): Promise<TestRepository> {
  const repo = await remote.createRepository(
    name,
    auth ? { auth: { username: 'x-access-token', password: CLONE_TOKEN } } : {},
  );
  await repo.commit({ '.gibbon/build.ts': buildScript(jobScript) }, { message: `Build ${name}` });
  return repo;
}

async function until(check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function runnerContainers(): Promise<number> {
  const list = await docker.listContainers({
    all: true,
    filters: { label: [`${labelKeys.runner}=${runnerId}`] },
  });
  return list.length;
}

beforeAll(async () => {
  image = await ensureTestImage();
  remote = await startGitRemote();
  root = await mkdtemp(join(tmpdir(), 'gibbon-runner-int-'));
  workDir = join(root, 'work');
  store = new LocalDiskBlobStore({ root: join(root, 'storage') });
  await store.open();
  server = new RunnerApiServer();
  await server.start();
  const logger = createMemoryLogger();
  const backoff = { initialMs: 50, maxMs: 500 };
  const metrics = new RunnerMetrics(2);
  metricsServer = await startMetricsServer(metrics.registry, {
    port: 0,
    host: '127.0.0.1',
    token: metricsToken,
  });
  runner = new Runner({
    metrics,
    api: new RunnerApiClient(server.url, server.runnerToken),
    executor: new EngineExecutor({
      workDir,
      compileCacheDir: join(root, 'compile-cache'),
      backend: new DockerBackend(docker, {
        ...defaultContainerConfig,
        runnerId,
        network: 'none',
        stopGraceSeconds: 1,
      }),
      network: 'none',
      store,
      logger,
      backoff,
      logDrainTimeoutMs: 10_000,
      logFlushIntervalMs: 200,
      stopGraceSeconds: 1,
      // The test remote is on 127.0.0.1, allowed as an operator would allow it.
      gitHosts: gitHostAllowlistFromEnv({ GIBBON_GIT_HOSTS: '127.0.0.1' }),
      // forge.test is this machine (the test remote); no test asks a real DNS server.
      resolveHost: (hostname) =>
        hostname === 'forge.test'
          ? Promise.resolve([{ address: '127.0.0.1', family: 4 }])
          : Promise.reject(
              Object.assign(new Error('not in the test table'), { code: 'ENOTFOUND' }),
            ),
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
  await metricsServer.close();
  await remote.close();
  await store.close();
  await reapContainers(docker, { runner: runnerId });
  await rm(root, { recursive: true, force: true });
}, 60_000);

describe('Runner with the engine (real git, Docker, HTTP)', () => {
  it('checks out, runs, ships masked logs and events, posts the result, cleans up', async () => {
    const repo = await repository('app', ['echo "hello from the job"']);
    const head = await repo.resolve('refs/heads/main');
    server.enqueue(claimFixture({ id: 'ok1', url: repo.url }), [{ name: 'CANARY', value: CANARY }]);

    await until(() => server.build('ok1').result !== undefined);
    const state = server.build('ok1');
    expect(state.result).toEqual({ status: 'success' });
    const types = state.events.map((event) => event.type);
    expect(types[0]).toBe('build.started');
    expect(types.at(-1)).toBe('build.ended');
    expect(state.events[0]).toMatchObject({
      type: 'build.started',
      git: { commit: head, message: 'Build app\n' },
    });
    expect(state.events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'job.ended', jobId: 'hello', status: 'success' }),
        expect.objectContaining({ type: 'job.ended', jobId: 'secret', status: 'success' }),
      ]),
    );
    expect(server.logOf('ok1', 'hello')).toContain('hello from the job\n');
    expect(server.logOf('ok1', 'secret')).toContain('param is ***');
    const allLogs = [...state.logs.keys()].map((job) => server.logOf('ok1', job)).join('');
    expect(allLogs).not.toContain(CANARY);
    expect((await readdir(workDir)).filter((name) => name.startsWith('build-'))).toEqual([]);
    expect(await runnerContainers()).toBe(0);
  }, 120_000);

  it('ends a build whose clone fails as error with git’s message, token masked', async () => {
    const repo = await repository('private', ['true'], true);
    const claim = claimFixture({ id: 'noauth', url: repo.url });
    server.enqueue(claim);
    await until(() => server.build('noauth').result !== undefined);
    const { result, events } = server.build('noauth');
    expect(result?.status).toBe('error');
    expect(result?.message).toMatch(/Could not check out refs\/heads\/main .*401/);
    expect(events.map((event) => event.type)).toEqual(['build.ended']);

    const withToken = claimFixture({ id: 'auth', url: repo.url });
    withToken.repo.cloneToken = CLONE_TOKEN;
    server.enqueue(withToken);
    await until(() => server.build('auth').result !== undefined);
    expect(server.build('auth').result).toEqual({ status: 'success' });
  }, 120_000);

  it('refuses to clone from a host the operator did not allow, and says which setting does', async () => {
    const metadata = claimFixture({
      id: 'metadata',
      url: 'http://169.254.169.254/latest/meta-data/',
    });
    server.enqueue(metadata);
    await until(() => server.build('metadata').result !== undefined);
    const message =
      "Could not check out refs/heads/main of http://169.254.169.254/latest/meta-data/: The clone URL's host 169.254.169.254 is not an allowed git host. An operator can allow it by adding 169.254.169.254 to GIBBON_GIT_HOSTS (or to GIBBON_GIT_INTERNAL_HOSTS for a forge on their own network) of public-api and every build-runner.";
    expect(server.build('metadata').result).toEqual({ status: 'error', message });
    expect(server.logOf('metadata', '_script')).toBe(`${message}\n`);

    // A name of this machine is loopback: allowed only through GIBBON_GIT_INTERNAL_HOSTS.
    const repo = await repository('by-name', ['true']);
    const byName = claimFixture({
      id: 'by-name',
      url: repo.url.replace('127.0.0.1', 'forge.test'),
    });
    server.enqueue(byName);
    await until(() => server.build('by-name').result !== undefined);
    expect(server.build('by-name').result?.message).toContain(
      'is not an allowed git host. An operator can allow it by adding forge.test:',
    );
  }, 120_000);

  it('cancels a running build from the heartbeat answer and removes its container', async () => {
    const repo = await repository('slow', ['echo started', 'sleep 60']);
    server.enqueue(claimFixture({ id: 'cancel1', url: repo.url }));
    await until(() => server.logOf('cancel1', 'hello').includes('started\n'));
    const canceledAt = Date.now();
    server.build('cancel1').cancel = true;
    await until(() => server.build('cancel1').result !== undefined);
    expect(Date.now() - canceledAt).toBeLessThan(5_000);
    expect(server.build('cancel1').result?.status).toBe('canceled');
    expect(await runnerContainers()).toBe(0);
  }, 120_000);

  it('loses no line and no event when public-api restarts mid-build', async () => {
    const repo = await repository('chatty', [
      'i=1; while [ $i -le 40 ]; do echo "line $i"; i=$((i+1)); sleep 0.05; done',
    ]);
    server.enqueue(claimFixture({ id: 'restart1', url: repo.url }));
    await until(() => server.logOf('restart1', 'hello').includes('line 3\n'));
    await server.restart(2_000);
    await until(() => server.build('restart1').result !== undefined);
    const expected = Array.from({ length: 40 }, (_, index) => `line ${index + 1}\n`).join('');
    expect(server.logOf('restart1', 'hello')).toContain(expected);
    const types = server.build('restart1').events.map((event) => event.type);
    expect(types.filter((type) => type === 'job.ended')).toHaveLength(2);
    expect(types.at(-1)).toBe('build.ended');
    expect(server.build('restart1').result).toEqual({ status: 'success' });
  }, 120_000);

  it('stops a build whose lease was taken back and posts nothing more for it', async () => {
    const repo = await repository('fenced', ['echo started', 'sleep 60']);
    server.enqueue(claimFixture({ id: 'lost1', url: repo.url }));
    await until(() => server.logOf('lost1', 'hello').includes('started\n'));
    const state = server.build('lost1');
    state.leaseValid = false;
    const eventsBefore = state.events.length;
    await until(() => runner.running === 0, 30_000);
    expect(state.result).toBeUndefined();
    expect(state.events).toHaveLength(eventsBefore);
    expect(await runnerContainers()).toBe(0);
  }, 120_000);
});

/** One sample of the runner's `GET /metrics` (0 when absent). */
async function scrape(name: string, labels = ''): Promise<number> {
  const response = await fetch(`${metricsServer.url}/metrics`, {
    headers: { authorization: `Bearer ${metricsToken}` },
  });
  expect(response.status).toBe(200);
  const line = (await response.text()).split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
}

describe('the runner’s GET /metrics', () => {
  it('needs the metrics token and serves nothing else', async () => {
    expect((await fetch(`${metricsServer.url}/metrics`)).status).toBe(401);
    const wrong = { headers: { authorization: `Bearer ${server.runnerToken}` } };
    expect((await fetch(`${metricsServer.url}/metrics`, wrong)).status).toBe(401);
    expect((await fetch(`${metricsServer.url}/`)).status).toBe(404);
  });

  it('counts a build it ran, its duration and its slots', async () => {
    const success = '{result="success"}';
    const before = await scrape('gibbon_runner_builds_total', success);
    const durations = await scrape('gibbon_runner_build_duration_seconds_count', success);
    expect(await scrape('gibbon_runner_capacity_slots')).toBe(2);
    const repo = await repository('metrics', ['true']);
    server.enqueue(claimFixture({ id: 'metrics1', url: repo.url }));
    await until(() => runner.running === 1);
    expect(await scrape('gibbon_runner_busy_slots')).toBe(1);
    await until(() => server.build('metrics1').result !== undefined && runner.running === 0);
    expect(await scrape('gibbon_runner_builds_total', success)).toBe(before + 1);
    expect(await scrape('gibbon_runner_build_duration_seconds_count', success)).toBe(durations + 1);
    expect(await scrape('gibbon_runner_build_duration_seconds_sum', success)).toBeGreaterThan(0);
    expect(await scrape('gibbon_runner_busy_slots')).toBe(0);
  }, 120_000);
});

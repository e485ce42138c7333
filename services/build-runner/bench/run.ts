/**
 * `pnpm bench`: how much the runner adds to a build, before public-api serves the runner
 * API. A build with one container job running `true` goes through the real runner (claim,
 * isomorphic-git checkout, script compile and process, Script API, Docker, log shipping,
 * result) against an in-memory runner API over HTTP; beside it, the floor measured in the
 * same run: an isomorphic-git clone of the same repository plus one dockerode container by
 * hand. Medians of 10, after one warm-up run of each.
 */
import * as fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gitHostAllowlistFromEnv } from '@gibbon/contracts';
import { defaultContainerConfig, DockerBackend, reapContainers } from '@gibbon/engine';
import { LocalDiskBlobStore } from '@gibbon/storage';
import { dockerClient, ensureTestImage, startGitRemote } from '@gibbon/test-kit';
import git from 'isomorphic-git';
import http from 'isomorphic-git/http/node';
import { claimFixture } from '../test/claim-fixture';
import { RunnerApiServer } from '../test/runner-api-server';
import { createLogger } from '../src/logger';
import { RunnerApiClient } from '../src/runner-api/client';
import { EngineExecutor } from '../src/runner/engine-executor';
import { Runner } from '../src/runner/runner';

const RUNS = 10;
const docker = dockerClient();
const runnerId = `bench-${process.pid}`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

async function floorRun(url: string, image: string, root: string): Promise<number> {
  const started = performance.now();
  const dir = await mkdtemp(join(root, 'floor-'));
  await git.clone({ fs, http, dir, url, singleBranch: true, depth: 1 });
  const container = await docker.createContainer({
    Image: image,
    Cmd: ['true'],
    HostConfig: { NetworkMode: 'none' },
  });
  await container.start();
  await container.wait();
  await container.remove({ force: true });
  const elapsed = performance.now() - started;
  await rm(dir, { recursive: true, force: true });
  return elapsed;
}

async function main(): Promise<void> {
  const image = await ensureTestImage();
  const remote = await startGitRemote();
  const root = await mkdtemp(join(tmpdir(), 'gibbon-runner-bench-'));
  const repo = await remote.createRepository('bench');
  await repo.commit(
    {
      '.gibbon/build.ts': `import { container, pipeline } from '@gibbon/sdk';
export default pipeline(() => [
  container('noop', { image: ${JSON.stringify(image)}, command: ['true'], network: 'none' }),
]);
`,
      'README.md': '# bench\n',
    },
    { message: 'Bench' },
  );
  const store = new LocalDiskBlobStore({ root: join(root, 'storage') });
  await store.open();
  const server = new RunnerApiServer();
  await server.start();
  const logger = createLogger({ write: () => undefined });
  const backoff = { initialMs: 50, maxMs: 1000 };
  const runner = new Runner({
    api: new RunnerApiClient(server.url, server.runnerToken),
    executor: new EngineExecutor({
      workDir: join(root, 'work'),
      compileCacheDir: join(root, 'compile-cache'),
      backend: new DockerBackend(docker, { ...defaultContainerConfig, runnerId, network: 'none' }),
      network: 'none',
      store,
      logger,
      backoff,
      logDrainTimeoutMs: 30_000,
      // The bench's git remote is on 127.0.0.1, allowed as an operator would allow it.
      gitHosts: gitHostAllowlistFromEnv({ GIBBON_GIT_HOSTS: '127.0.0.1' }),
    }),
    logger,
    capacity: 1,
    drainTimeoutMs: 30_000,
    backoff,
    reportTimeoutMs: 30_000,
  });
  const running = runner.run();

  const floor: number[] = [];
  const total: number[] = [];
  const queueToClaim: number[] = [];
  const claimToFirstContainer: number[] = [];
  const phases = new Map<string, number[]>();
  const phase = (name: string, ms: number) => phases.set(name, [...(phases.get(name) ?? []), ms]);
  for (let index = 0; index <= RUNS; index += 1) {
    const floorMs = await floorRun(repo.url, image, root);
    const id = `bench${index}`;
    server.enqueue(claimFixture({ id, url: repo.url }));
    while (server.build(id).result === undefined)
      await new Promise((resolve) => setTimeout(resolve, 5));
    const { times, events, result } = server.build(id);
    if (result?.status !== 'success')
      throw new Error(`bench build ended ${JSON.stringify(result)}`);
    if (index === 0) continue; // warm-up: image cache, compile cache, JIT
    const startedAt =
      times.events[events.findIndex((event) => event.type === 'job.started')] ?? NaN;
    floor.push(floorMs);
    total.push((times.result ?? NaN) - times.enqueued);
    queueToClaim.push((times.claimed ?? NaN) - times.enqueued);
    claimToFirstContainer.push(startedAt - (times.claimed ?? NaN));
    let previous = times.claimed ?? NaN;
    for (const [position, event] of events.entries()) {
      const at = times.events[position] ?? NaN;
      phase(`  → ${event.type}`, at - previous);
      previous = at;
    }
    phase('  → result', (times.result ?? NaN) - previous);
  }

  runner.drain();
  await running;
  await server.close();
  await remote.close();
  await store.close();
  await reapContainers(docker, { runner: runnerId });
  await rm(root, { recursive: true, force: true });

  const row = (name: string, values: number[]) =>
    console.log(
      `${name.padEnd(34)} ${median(values).toFixed(0).padStart(6)} ms  (min ${Math.min(...values).toFixed(0)}, max ${Math.max(...values).toFixed(0)})`,
    );
  console.log(`build-runner, one container job running \`true\`, median of ${RUNS}`);
  row('floor: clone + one container', floor);
  row('runner: enqueue → result', total);
  row('  queue → claim', queueToClaim);
  row('  claim → job.started (container)', claimToFirstContainer);
  console.log('phases (time since the previous step, medians):');
  for (const [name, values] of phases) row(name, values);
  console.log(`ratio to the floor: ${(median(total) / median(floor)).toFixed(2)}× (target ≤ 1.5×)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerClient, ensureTestImage, unusedPort } from '@gibbon/test-kit';
import { JobLog } from '../../logs/job-log';
import { MemoryLogSink } from '../../logs/log-sink';
import { Masker } from '../../masking/masker';
import { runContainerJob } from '../run-container-job';
import { defaultContainerConfig, type ContainerJobSpec, type JobNetwork } from '../types';
import { DockerBackend } from './docker-backend';
import { runnerArch } from './placement';
import { reapContainers } from './reap';

const docker = dockerClient();
const runnerId = `placement-${process.pid}-${Date.now()}`;
let image: string;
let checkoutDir: string;

beforeAll(async () => {
  image = await ensureTestImage();
  checkoutDir = await mkdtemp(join(tmpdir(), 'gibbon-placement-'));
}, 120_000);

afterAll(async () => {
  await reapContainers(docker, { runner: runnerId });
  await rm(checkoutDir, { recursive: true, force: true });
});

function backendOn(network: JobNetwork): DockerBackend {
  return new DockerBackend(docker, { ...defaultContainerConfig, runnerId, network });
}

function start(network: JobNetwork, fields: Partial<ContainerJobSpec>) {
  const sink = new MemoryLogSink();
  const log = new JobLog('job', new Masker(), sink);
  const spec = { buildId: 'b1', jobId: 'job', image, checkoutDir, ...fields };
  const done = runContainerJob(backendOn(network), spec, { log, stopGraceSeconds: 1 }).finally(() =>
    log.close(),
  );
  return { sink, done };
}

async function lineMatching(sink: MemoryLogSink, pattern: RegExp): Promise<string> {
  for (let tries = 0; tries < 200; tries += 1) {
    const found = sink.linesOf('job').find((line) => pattern.test(line));
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no log line matched ${pattern}: ${sink.linesOf('job').join(' | ')}`);
}

describe('where a container job runs: arch and exposed ports (real Docker)', () => {
  it('an exposed port of a job on the host network answers from the runner, and the log says where', async () => {
    const port = await unusedPort();
    const server =
      `require('http').createServer((q, r) => r.end('preview ok', () => process.exit(0)))` +
      `.listen(${port}); setTimeout(() => process.exit(3), 20000)`;
    const { sink, done } = start('host', { command: ['node', '-e', server], expose: [port] });
    const line = await lineMatching(sink, /^Port \d+ is/);
    expect(line).toBe(
      `Port ${port} is the runner's own port ${port} (the job uses the host network).`,
    );
    let body = '';
    for (let tries = 0; tries < 100 && body === ''; tries += 1) {
      body = await fetch(`http://127.0.0.1:${port}/`)
        .then((answer) => answer.text())
        .catch(() => new Promise<string>((resolve) => setTimeout(() => resolve(''), 100)));
    }
    expect(body).toBe('preview ok');
    expect((await done).status).toBe('success');
  }, 60_000);

  it("a job for the runner's own arch runs; one for another fails before pulling, saying why", async () => {
    const own = runnerArch() as 'amd64' | 'arm64';
    const ran = start('none', { script: ['echo on my arch'], arch: own });
    expect((await ran.done).status).toBe('success');
    const other = own === 'amd64' ? 'arm64' : 'amd64';
    const refused = start('none', { script: ['echo never'], arch: other });
    const result = await refused.done;
    expect(result.status).toBe('error');
    expect(result.message).toBe(
      `Job job asks for arch ${other}, and this runner is ${own}; run it on a ${other} ` +
        "runner, or remove arch to use the runner's own.",
    );
    expect(refused.sink.linesOf('job')).not.toContain('never');
  }, 60_000);
});

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerClient, ensureTestImage } from '@gibbon/test-kit';
import { JobLog } from '../../logs/job-log';
import { MemoryLogSink } from '../../logs/log-sink';
import { Masker } from '../../masking/masker';
import { runContainerJob } from '../run-container-job';
import { defaultContainerConfig, type ContainerJobSpec } from '../types';
import { DockerBackend } from './docker-backend';
import { labelKeys } from './labels';
import { reapContainers } from './reap';

const docker = dockerClient();
const runnerId = `test-${process.pid}-${Date.now()}`;
const backend = new DockerBackend(docker, {
  ...defaultContainerConfig,
  runnerId,
  network: 'none',
  stopGraceSeconds: 1,
});
let image: string;
let checkoutDir: string;

beforeAll(async () => {
  image = await ensureTestImage();
}, 120_000);

beforeEach(async () => {
  checkoutDir = await mkdtemp(join(tmpdir(), 'gibbon-checkout-'));
});

afterEach(async () => {
  await rm(checkoutDir, { recursive: true, force: true });
});

afterAll(async () => {
  await reapContainers(docker, { runner: runnerId });
});

async function ourContainers(): Promise<string[]> {
  const found = await docker.listContainers({
    all: true,
    filters: { label: [`${labelKeys.runner}=${runnerId}`] },
  });
  return found.map((info) => info.Id);
}

async function run(fields: Partial<ContainerJobSpec>, signal?: AbortSignal, masker = new Masker()) {
  const sink = new MemoryLogSink();
  const log = new JobLog('job', masker, sink);
  const spec = { buildId: 'b1', jobId: 'job', image, checkoutDir, ...fields };
  const result = await runContainerJob(backend, spec, { log, signal, stopGraceSeconds: 1 });
  log.close();
  return { result, sink, lines: sink.linesOf('job') };
}

describe('DockerBackend with runContainerJob (real Docker, network none)', () => {
  it('runs script lines in order, echoing each, streaming stdout and stderr with sequence numbers', async () => {
    const { result, sink, lines } = await run({
      script: ['echo one', 'echo two >&2', 'cd /tmp && pwd'],
    });
    expect(result).toMatchObject({ status: 'success', exitCode: 0 });
    // Docker copies stdout and stderr separately, so only the order within a stream is kept.
    const stdout = sink.entries.filter((entry) => entry.stream === 'stdout').map((e) => e.text);
    expect(stdout).toEqual(['+ echo one', 'one', '+ echo two >&2', '+ cd /tmp && pwd', '/tmp']);
    expect(lines).toHaveLength(6);
    expect(sink.entries.map((entry) => entry.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(sink.entries.filter((entry) => entry.stream === 'stderr').map((e) => e.text)).toEqual([
      'two',
    ]);
    expect(await ourContainers()).toEqual([]);
  });

  it('fails the job at the first failing line with that line’s exit code', async () => {
    const { result, lines } = await run({
      script: ['echo before', 'sh -c "exit 3"', 'echo after'],
    });
    expect(result).toMatchObject({ status: 'failure', exitCode: 3 });
    expect(lines).toContain('before');
    expect(lines).not.toContain('after');
    expect(lines.at(-1)).toBe('Job failed: exit code 3.');
  });

  it('runs command as argv without a shell, with env and workDir inside the checkout', async () => {
    const { result, lines } = await run({
      command: [
        'node',
        '-e',
        'console.log(process.cwd(), process.env.GREETING, process.argv[1])',
        '$HOME;x',
      ],
      env: { GREETING: 'hello' },
      workDir: 'sub',
    });
    expect(result).toMatchObject({ status: 'success', exitCode: 0 });
    expect(lines).toEqual(['/workspace/sub hello $HOME;x']);
  });

  it('bind-mounts the checkout so files written by the job are there afterwards', async () => {
    const { result } = await run({ script: ['echo built > out.txt'] });
    expect(result.status).toBe('success');
    expect(await readFile(join(checkoutDir, 'out.txt'), 'utf8')).toBe('built\n');
  });

  it('reports a non-zero exit of a command job as failure with its code', async () => {
    const { result } = await run({ command: ['node', '-e', 'process.exit(4)'] });
    expect(result).toMatchObject({ status: 'failure', exitCode: 4 });
  });

  it('refuses a workDir that leaves the checkout, without creating a container', async () => {
    const { result, lines } = await run({ script: ['pwd'], workDir: '../etc' });
    expect(result.status).toBe('error');
    expect(lines.at(-1)).toContain('must be a relative path inside the checkout');
    expect(await ourContainers()).toEqual([]);
  });

  it('masks registered secrets in the container output', async () => {
    const masker = new Masker();
    masker.register('s3cr3t-value');
    const { lines } = await run(
      {
        command: [
          'node',
          '-e',
          'console.log("token=" + Buffer.from("s3cr3t-value").toString("base64"))',
        ],
      },
      undefined,
      masker,
    );
    expect(lines).toEqual(['token=***']);
  });

  it('times a job out, stops it and removes its container', async () => {
    const started = Date.now();
    const { result } = await run({ script: ['echo sleeping', 'sleep 30'], timeoutSeconds: 1 });
    expect(result.status).toBe('timed_out');
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(await ourContainers()).toEqual([]);
  });

  it('cancels a running job through its AbortSignal and leaves no container', async () => {
    const controller = new AbortController();
    const sink = new MemoryLogSink();
    const log = new JobLog('job', new Masker(), {
      write(entry) {
        sink.write(entry);
        if (entry.text === 'waiting') controller.abort();
      },
    });
    const spec = {
      buildId: 'b1',
      jobId: 'job',
      image,
      checkoutDir,
      script: ['echo waiting', 'sleep 30'],
    };
    const result = await runContainerJob(backend, spec, {
      log,
      signal: controller.signal,
      stopGraceSeconds: 1,
    });
    expect(result.status).toBe('canceled');
    expect(sink.linesOf('job')).toContain('waiting');
    expect(await ourContainers()).toEqual([]);
  });

  it('stops a canceled job on SIGTERM instead of waiting out the stop grace', async () => {
    const controller = new AbortController();
    const log = new JobLog('job', new Masker(), {
      write(entry) {
        if (entry.text === 'waiting') controller.abort();
      },
    });
    const spec = {
      buildId: 'b1',
      jobId: 'job',
      image,
      checkoutDir,
      script: ['echo waiting', 'sleep 60'],
    };
    // A 60 s grace outlasts this test's timeout: only a job that stops on SIGTERM ends in time.
    const result = await runContainerJob(backend, spec, {
      log,
      signal: controller.signal,
      stopGraceSeconds: 60,
    });
    expect(result.status).toBe('canceled');
    expect(await ourContainers()).toEqual([]);
  }, 20_000);

  it('fails a job whose image cannot be pulled, naming the image and the registry’s answer', async () => {
    const missing = 'gibbon-test/no-such-image:never';
    const { result, lines } = await run({ image: missing, script: ['true'] });
    expect(result.status).toBe('error');
    expect(result.message).toMatch(/^Could not pull image gibbon-test\/no-such-image:never: .+/);
    expect(lines).toContain(`Pulling image ${missing}`);
    expect(await ourContainers()).toEqual([]);
  });

  it('removes the container when the engine itself fails mid-job', async () => {
    /** The real backend, with the engine's wait call failing as if the daemon connection broke. */
    class BrokenWaitBackend extends DockerBackend {
      override wait(): Promise<number> {
        return Promise.reject(new Error('connection to the Docker engine lost'));
      }
    }
    const broken = new BrokenWaitBackend(docker, backend.config);
    const log = new JobLog('job', new Masker(), new MemoryLogSink());
    const spec = { buildId: 'b1', jobId: 'job', image, checkoutDir, script: ['sleep 30'] };
    const result = await runContainerJob(broken, spec, { log, stopGraceSeconds: 1 });
    expect(result).toMatchObject({
      status: 'error',
      message: 'connection to the Docker engine lost',
    });
    expect(await ourContainers()).toEqual([]);
  });

  it('reaps containers left with the runner’s label by an earlier run', async () => {
    const log = new JobLog('left', new Masker(), new MemoryLogSink());
    const spec = { buildId: 'b0', jobId: 'left', image, checkoutDir, script: ['true'] };
    const handle = await backend.create(spec, log);
    expect(await ourContainers()).toEqual([handle.id]);
    expect(await reapContainers(docker, { runner: runnerId })).toEqual([handle.id]);
    expect(await ourContainers()).toEqual([]);
  });
});

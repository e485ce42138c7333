import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerClient } from '@gibbon/test-kit';
import { testBuildContext } from '../../test/build-context';
import { DockerBackend } from '../containers/docker/docker-backend';
import { defaultContainerConfig } from '../containers/types';
import { MemoryLogSink } from '../logs/log-sink';
import { StaticParamProvider } from '../script-api/params';
import { runBuild } from '../script-host/run-build';
import { BoxCgroups } from './box-cgroups';
import type { BoxLimits } from './box-limits';
import { prepareScriptSandbox } from './prepare-sandbox';
import type { ScriptSandbox } from './script-sandbox';

// Attack plan test 30 (resource exhaustion), for the script's box: a fork bomb and a memory
// balloon from `job.sh` hit the box's limits, the build fails saying which, and nothing of
// the box outlives it. Limits need a root runner (a uid of the box's own, control groups).
const asRoot = process.getuid?.() === 0;
const whenRoot = asRoot ? describe : describe.skip;

const MIB = 1024 * 1024;
const limits: BoxLimits = { memoryBytes: 256 * MIB, pids: 200, cpus: 1 };

const buildFile = (body: string) => `
import { action, pipeline } from '@gibbon/sdk';
export default pipeline(() => [
  action('hog', async (job) => {
    await job.sh(['sh', '-c', ${JSON.stringify(body)}]);
  }),
]);
`;

/**
 * Processes of `uid` anywhere on the machine that still run: not zombies (the box's bwrap init
 * is one until the machine's init reaps it, as any orphan).
 */
async function processesOf(uid: number): Promise<string[]> {
  const found: string[] = [];
  for (const pid of (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry))) {
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
    const real = /^Uid:\s+(\d+)/m.exec(status)?.[1];
    const state = /^State:\s+(\S)/m.exec(status)?.[1];
    if (real === String(uid) && state !== 'Z') found.push(`${pid} ${state}`);
  }
  return found;
}

whenRoot('the limits of a build box (root runner, cgroup v1)', () => {
  let root: string;
  let sandbox: ScriptSandbox;
  const backend = new DockerBackend(dockerClient(), {
    ...defaultContainerConfig,
    runnerId: `box-limits-${process.pid}`,
    network: 'none',
  });

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'gibbon-box-limits-'));
    await chmod(root, 0o711);
    // A range of its own, so the test knows which uid each build got.
    const readiness = await prepareScriptSandbox({ first: 270_000, last: 270_000 }, limits);
    if (!readiness.ready) throw new Error(readiness.failure);
    expect(readiness.sandbox.unlimited).toBeUndefined();
    sandbox = readiness.sandbox;
  });

  afterAll(() => rm(root, { recursive: true, force: true }));

  async function run(name: string, body: string, boxes: ScriptSandbox = sandbox) {
    const checkoutDir = await mkdtemp(join(root, `${name}-checkout-`));
    await mkdir(join(checkoutDir, '.gibbon'));
    await writeFile(join(checkoutDir, '.gibbon', 'build.ts'), buildFile(body));
    const sink = new MemoryLogSink();
    const outcome = await runBuild({
      checkoutDir,
      context: testBuildContext({ trusted: false, id: name }),
      params: new StaticParamProvider({}),
      backend,
      network: 'none',
      logSink: sink,
      workDir: await mkdtemp(join(root, `${name}-work-`)),
      compileCacheDir: join(root, 'compile-cache'),
      scriptGraceMs: 1_000,
      sandbox: boxes,
    });
    return { outcome, hog: sink.linesOf('hog') };
  }

  it('a box is the kernel’s first choice when the machine runs out of memory', async () => {
    const { outcome, hog } = await run('seen', 'cat /proc/self/oom_score_adj');
    expect(outcome).toMatchObject({ status: 'success' });
    expect(hog).toContain('1000');
  }, 60_000);

  it('a memory balloon is killed at the memory limit, and the build says so', async () => {
    const balloon = 'node -e "const held = []; for (;;) held.push(Buffer.alloc(16 << 20, 1))"';
    const { outcome, hog } = await run('balloon', balloon);
    expect(outcome.status).toBe('failure');
    expect(outcome.jobs).toMatchObject([{ jobId: 'hog', status: 'failure', exitCode: 137 }]);
    expect(hog).toContain('Killed');
    expect(outcome.message).toContain(
      "The build's box reached its memory limit (256 MiB, GIBBON_SANDBOX_MEMORY_MB): the kernel killed 1 of its processes.",
    );
  }, 60_000);

  // The bomb runs in the background, its output gone, while the job goes on and then fails.
  // Nothing after the bomb may fork: the bomb holds every process the limit allows, and dash
  // exits on its first refused fork. So bash waits the three seconds with builtins, and dash
  // goes on with builtins only.
  const bomb =
    "bash -c 'b() { b | b & }; b; while [ $SECONDS -lt 3 ]; do :; done' >/dev/null 2>&1; echo 'the job still runs'; exit 3";

  it('a fork bomb is held at the process limit, the build says so, and nothing of it is left', async () => {
    const { outcome, hog } = await run('fork-bomb', bomb);
    expect(hog).toContain('the job still runs');
    expect(outcome.status).toBe('failure');
    expect(outcome.message).toMatch(
      /The build's box reached its process limit \(200 processes and threads, GIBBON_SANDBOX_PIDS\): \d+ new processes were refused\./,
    );
    expect(await processesOf(270_000)).toEqual([]);
  }, 60_000);

  it('without control groups the process limit is the lent uid’s RLIMIT_NPROC', async () => {
    const unlimited: ScriptSandbox = { ...sandbox, cgroups: undefined, unlimited: 'test' };
    const seen = await run('nproc', "grep 'Max processes' /proc/self/limits", unlimited);
    expect(seen.hog.join('\n')).toMatch(/Max processes\s+200\s+200\s+processes/);
    const { outcome, hog } = await run('fork-bomb-nproc', bomb, unlimited);
    expect(hog).toContain('the job still runs');
    expect(outcome.jobs).toMatchObject([{ jobId: 'hog', status: 'failure', exitCode: 3 }]);
    expect(await processesOf(270_000)).toEqual([]);
  }, 60_000);
});

whenRoot('control groups of boxes (cgroup v1)', () => {
  it('are made with the limits, joined by the box, and removed after it', async () => {
    const discovery = await BoxCgroups.discover();
    if (!discovery.available) throw new Error(discovery.reason);
    const group = await discovery.cgroups.create(`box-test-${process.pid}`, {
      memoryBytes: 300 * MIB,
      pids: 77,
      cpus: 0.5,
    });
    const folderOf = (controller: string) =>
      group.procsFiles
        .find((file) => file.includes(`/${controller}/`))!
        .replace('/cgroup.procs', '');
    expect(await readFile(join(folderOf('memory'), 'memory.limit_in_bytes'), 'utf8')).toBe(
      `${300 * MIB}\n`,
    );
    expect(await readFile(join(folderOf('pids'), 'pids.max'), 'utf8')).toBe('77\n');
    expect(await readFile(join(folderOf('cpu'), 'cpu.cfs_quota_us'), 'utf8')).toBe('50000\n');
    await group.remove();
    await expect(stat(folderOf('memory'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

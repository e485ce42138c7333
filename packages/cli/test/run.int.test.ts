import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerClient, ensureTestImage } from '@gibbon/test-kit';
import { runCliProcess, startCli, waitForOutput } from './cli-process';
import { tempRepo } from './temp-repo';

let image: string;
const dirs: string[] = [];

beforeAll(async () => {
  image = await ensureTestImage();
}, 120_000);

afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function repo(buildTs: string, extra: Record<string, string> = {}): Promise<string> {
  const dir = await tempRepo({ '.gibbon/build.ts': buildTs, ...extra });
  dirs.push(dir);
  return dir;
}

const threeJobs = () => `
import { action, container, pipeline } from '@gibbon/sdk';
export default pipeline((ctx) => [
  container('hello', { image: ${JSON.stringify(image)}, script: ['echo hello from the container'] }),
  container('world', { image: ${JSON.stringify(image)}, script: ['echo world'], dependsOn: ['hello'] }),
  action('release', async (job) => {
    const token = await job.param('NPM_TOKEN');
    job.log('publishing with ' + token + ' on ' + ctx.git.branch);
  }, { dependsOn: ['world'] }),
]);
`;

describe('gibbon run', () => {
  it('runs every job, prefixes output with the job id, and masks a --param value', async () => {
    const dir = await repo(threeJobs());
    const result = await runCliProcess(['run', '--param', 'NPM_TOKEN=s3cr3t-token-value'], {
      cwd: dir,
    });
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toMatch(/^hello +\| hello from the container$/m);
    expect(result.stdout).toMatch(/^release +\| publishing with \*\*\* on main$/m);
    expect(result.stdout).toMatch(/^✓ world +success +\d+\.\ds$/m);
    expect(result.stdout).toMatch(/^Build success$/m);
    expect(result.stdout + result.stderr).not.toContain('s3cr3t-token-value');
  }, 60_000);

  it('--job runs that job and its dependencies only', async () => {
    const dir = await repo(threeJobs());
    const result = await runCliProcess(['run', dir, '--job', 'world'], { cwd: tmpdir() });
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toMatch(/^✓ hello +success/m);
    expect(result.stdout).toMatch(/^✓ world +success/m);
    expect(result.stdout).not.toContain('release');
  }, 60_000);

  it('--job with an unknown id is an error naming the jobs', async () => {
    const dir = await repo(threeJobs());
    const result = await runCliProcess(['run', '--job', 'deploy'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stdout).toContain(
      'No job "deploy" in this build; its jobs are: hello, world, release.',
    );
  }, 60_000);

  it('exits 1 when a job fails, and skips its dependents', async () => {
    const dir = await repo(`
import { container } from '@gibbon/sdk';
export default [
  container('broken', { image: ${JSON.stringify(image)}, script: ['echo about to fail', 'exit 3'] }),
  container('after', { image: ${JSON.stringify(image)}, script: ['echo never'], dependsOn: ['broken'] }),
];
`);
    const result = await runCliProcess(['run'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^✗ broken +failure/m);
    expect(result.stdout).toMatch(/^- after +skipped/m);
    expect(result.stdout).toMatch(/^Build failure/m);
  }, 60_000);

  it('exits 2 when the script does not compile', async () => {
    const dir = await repo(
      `import { container } from '@gibbon/sdk';\nexport default [container('a', {{]];\n`,
    );
    const result = await runCliProcess(['run'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('The build script does not compile');
  }, 60_000);

  it('exits 2 with how to fix it when Docker is unreachable', async () => {
    const dir = await repo(threeJobs());
    const result = await runCliProcess(['run'], {
      cwd: dir,
      env: { DOCKER_HOST: 'unix:///tmp/gibbon-no-docker-here.sock' },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'Cannot reach the Docker engine at unix:///tmp/gibbon-no-docker-here.sock',
    );
    expect(result.stderr).toContain('Start Docker');
  }, 30_000);

  it('exits 2 outside a git checkout, and on a bad option', async () => {
    const plain = await mkdtemp(join(tmpdir(), 'gibbon-cli-plain-'));
    dirs.push(plain);
    const notGit = await runCliProcess(['run'], { cwd: plain });
    expect(notGit.code).toBe(2);
    expect(notGit.stderr).toContain('is not a git checkout with a commit');
    const badOption = await runCliProcess(['run', '--paramz', 'x'], { cwd: plain });
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toContain("Unknown option '--paramz'");
  }, 30_000);

  it('builds the working tree with uncommitted changes, --branch and a --param-file', async () => {
    const dir = await repo(
      `
import { action, container, pipeline } from '@gibbon/sdk';
export default pipeline((ctx) => [
  container('show', { image: ${JSON.stringify(image)}, script: ['cat notes.txt'] }),
  action('context', async (job) => {
    job.log('branch=' + ctx.git.branch + ' changed=' + ctx.git.changedFiles.join(','));
    job.log('region=' + (await job.param('REGION')));
  }),
]);
`,
      { 'notes.txt': 'committed\n' },
    );
    await writeFile(join(dir, 'notes.txt'), 'edited, not committed\n');
    await writeFile(join(dir, 'params.env'), '# deploy settings\nREGION="eu-west-1"\n');
    const result = await runCliProcess(
      ['run', '--branch', 'feature/x', '--param-file', 'params.env'],
      { cwd: dir },
    );
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toMatch(/^show +\| edited, not committed$/m);
    expect(result.stdout).toMatch(/branch=feature\/x changed=.*notes\.txt/);
    expect(result.stdout).toMatch(/^context +\| region=\*\*\*$/m);
  }, 60_000);

  it('--json prints events and log lines as JSON lines', async () => {
    const dir = await repo(threeJobs());
    const result = await runCliProcess(['run', '--json', '--param', 'NPM_TOKEN=abcdefgh123'], {
      cwd: dir,
    });
    expect(result.code).toBe(0);
    const events = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; jobId?: string; text?: string });
    expect(events.filter((e) => e.type === 'job.ended').map((e) => e.jobId)).toEqual([
      'hello',
      'world',
      'release',
    ]);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'log', jobId: 'hello', text: 'hello from the container' }),
    );
    expect(events.at(-1)).toMatchObject({ type: 'build.ended', status: 'success' });
  }, 60_000);

  it('masks a --param value an action throws, in the progress line, the log and --json', async () => {
    const dir = await repo(`
import { action } from '@gibbon/sdk';
export default action('deploy', async (job) => {
  const key = await job.param('DEPLOY_KEY');
  throw new Error('the deploy service refused key ' + key);
});
`);
    const secret = 'dk-cli-thrown-s3cret';
    const plain = await runCliProcess(['run', '--param', `DEPLOY_KEY=${secret}`], { cwd: dir });
    expect(plain.code).toBe(1);
    expect(plain.stdout).toMatch(
      /^✗ deploy +failure +\d+\.\ds +\(the deploy service refused key \*\*\*\)$/m,
    );
    expect(plain.stdout).toMatch(/^deploy +\| Job failed: the deploy service refused key \*\*\*$/m);
    expect(plain.stdout + plain.stderr).not.toContain(secret);

    const json = await runCliProcess(['run', '--json', '--param', `DEPLOY_KEY=${secret}`], {
      cwd: dir,
    });
    expect(json.code).toBe(1);
    const lines = json.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; message?: string; text?: string });
    expect(lines).toContainEqual(
      expect.objectContaining({
        type: 'job.ended',
        status: 'failure',
        message: 'the deploy service refused key ***',
      }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({
        type: 'log',
        text: 'Job failed: the deploy service refused key ***',
      }),
    );
    expect(lines.at(-1)).toMatchObject({
      type: 'build.ended',
      jobs: [expect.objectContaining({ message: 'the deploy service refused key ***' })],
    });
    expect(json.stdout + json.stderr).not.toContain(secret);
  }, 60_000);

  it('Ctrl-C mid-job cancels the build and leaves no container', async () => {
    const jobId = `sleeper-${process.pid}-${Date.now()}`;
    const dir = await repo(`
import { container } from '@gibbon/sdk';
export default container(${JSON.stringify(jobId)}, {
  image: ${JSON.stringify(image)},
  script: ['echo started sleeping', 'sleep 60'],
});
`);
    const started = Date.now();
    const cli = startCli(['run'], { cwd: dir });
    await waitForOutput(cli.output, (text) => text.includes('started sleeping'));
    process.kill(-cli.child.pid!, 'SIGINT');
    const result = await cli.result;
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/canceled/);
    expect(Date.now() - started).toBeLessThan(30_000);
    const left = await dockerClient().listContainers({
      all: true,
      filters: { label: [`gibbon.job=${jobId}`] },
    });
    expect(left).toEqual([]);
  }, 60_000);

  it('--artifacts keeps caches for the next run; --keep keeps the work folder', async () => {
    const dir = await repo(`
import { container } from '@gibbon/sdk';
export default container('warm', {
  image: ${JSON.stringify(image)},
  script: ['mkdir -p .cache', 'test -f .cache/warm && echo "cache hit" || (echo "cache miss"; touch .cache/warm)'],
  caches: [{ id: 'warm', path: '.cache' }],
});
`);
    const store = join(dir, '..', `${dir.split('/').pop()}-store`);
    dirs.push(store);
    const first = await runCliProcess(['run', '--artifacts', store], { cwd: dir });
    expect(first.stdout).toMatch(/^warm +\| cache miss$/m);
    const second = await runCliProcess(['run', '--artifacts', store, '--keep'], { cwd: dir });
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/^warm +\| Restored cache warm into \.cache$/m);
    expect(second.stdout).toMatch(/^warm +\| cache hit$/m);
    const kept = /^Work folder kept: (.+)$/m.exec(second.stderr)?.[1];
    expect(kept).toBeDefined();
    dirs.push(kept!);
    expect((await stat(join(kept!, 'checkout', '.gibbon', 'build.ts'))).isFile()).toBe(true);
    expect(await readdir(join(kept!, 'checkout', '.cache'))).toEqual(['warm']);
  }, 90_000);
});

import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliProcess } from './cli-process';
import { tempRepo } from './temp-repo';

const examplesDir = join(__dirname, '..', '..', '..', 'examples');
const dirs: string[] = [];

afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

async function repo(files: Record<string, string>): Promise<string> {
  const dir = await tempRepo(files);
  dirs.push(dir);
  return dir;
}

const buildScript = `import { action, container, pipeline } from '@gibbon/sdk';

export default pipeline((ctx) => [
  container('test', { image: 'node:20', script: ['npm test'] }),
  ctx.git.branch === 'main' &&
    action('deploy', async (job) => {
      const token = await job.param('DEPLOY_TOKEN');
      await job.sh(['./deploy.sh'], { env: { TOKEN: token ?? '' } });
    }, { dependsOn: ['test'] }),
]);
`;

/** One case that holds and one that does not (deploy is never on a feature branch). */
const buildTest = `import { resolveJobs, runPipeline } from '@gibbon/sdk/testing';
import * as build from './build';

it('deploys from main with the token', async () => {
  const run = await runPipeline(build, { params: { DEPLOY_TOKEN: 'tok-123456' } });
  expect(run.statuses).toEqual({ test: 'success', deploy: 'success' });
  expect(run.job('deploy').commands[0]?.env).toEqual({ TOKEN: 'tok-123456' });
});

it('deploys from feature branches too', async () => {
  const jobs = await resolveJobs(build, { branch: 'feature/x' });
  expect(jobs.ids).toContain('deploy');
});
`;

describe('gibbon test', () => {
  it("runs the repository's .gibbon tests: exit 1 when one fails, naming both", async () => {
    const dir = await repo({ '.gibbon/build.ts': buildScript, '.gibbon/build.test.ts': buildTest });
    const result = await runCliProcess(['test'], { cwd: dir });
    const output = result.stdout + result.stderr;
    expect(result.code).toBe(1);
    expect(output).toMatch(/✓ deploys from main with the token/);
    expect(output).toMatch(/✕ deploys from feature branches too/);
    expect(output).toMatch(/Tests: +1 failed, 1 passed, 2 total/);
  }, 60_000);

  it('exits 0 when the selected tests pass, with a folder argument and -t', async () => {
    const dir = await repo({ '.gibbon/build.ts': buildScript, '.gibbon/build.test.ts': buildTest });
    const result = await runCliProcess(['test', dir, '-t', 'from main'], { cwd: tmpdir() });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/Tests: +1 skipped, 1 passed, 2 total/);
  }, 60_000);

  it('passes the Node library example as it is', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gibbon-test-example-'));
    dirs.push(dir);
    await cp(join(examplesDir, 'node-library'), dir, { recursive: true });
    const result = await runCliProcess(['test'], { cwd: dir });
    expect({ code: result.code, stdout: result.stdout }).toEqual({ code: 0, stdout: '' });
    expect(result.stderr).toMatch(/Tests: +7 passed, 7 total/);
  }, 60_000);

  it('exits 2 with what to write when the repository has no pipeline tests', async () => {
    const dir = await repo({ '.gibbon/build.ts': buildScript });
    const result = await runCliProcess(['test'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^gibbon test: No pipeline tests in .*\.gibbon: write them/);
  }, 60_000);
});

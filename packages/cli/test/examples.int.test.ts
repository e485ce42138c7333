import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerClient, ensurePostgresImage, ensureTestImage, unusedPort } from '@gibbon/test-kit';
import { runCliProcess, startCli, waitForOutput } from './cli-process';
import { installLockedFromWorkspace } from './example-node-modules';
import { git } from './temp-repo';

const examplesDir = join(__dirname, '..', '..', '..', 'examples');
let image: string;
let postgresImage: string;
const dirs: string[] = [];

beforeAll(async () => {
  image = await ensureTestImage();
  // A cold build copies this machine's Postgres into an image: a minute on a busy machine.
  postgresImage = await ensurePostgresImage();
}, 300_000);

afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/**
 * An example as a user's repository: copied into a fresh git repository and committed. No
 * registry is reachable here, so the `image:` lines of declarative files name the local test
 * image instead (TypeScript examples take it from `--env NODE_IMAGE`).
 */
async function exampleRepo(name: string, declarativeFile?: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `gibbon-example-${name}-`));
  dirs.push(dir);
  await cp(join(examplesDir, name), dir, { recursive: true });
  if (declarativeFile) {
    const file = join(dir, declarativeFile);
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace(/^(\s*-?\s*image:\s*).+$/gm, `$1${image}`));
  }
  git(dir, ['init', '-q', '-b', 'main']);
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', `The ${name} example`]);
  return dir;
}

function jobLines(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((line) =>
      /^(?:✓|✗|!|-|⊘|⏱) \S+ +(success|failure|error|skipped|canceled|timed_out)/u.test(line),
    )
    .map((line) => line.replace(/ +\d+(\.\d+)?m?\d*s$/, '').replace(/ +/g, ' '));
}

describe('examples run with gibbon run', () => {
  it('node-library on main: install, lint and test, build, an approved release with a masked token', async () => {
    const dir = await exampleRepo('node-library');
    const token = 'npm_example_token_123';
    const result = await runCliProcess(
      [
        'run',
        '--env',
        `NODE_IMAGE=${image}`,
        '--param',
        `NPM_TOKEN=${token}`,
        '--approve',
        'release',
      ],
      { cwd: dir },
    );
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(jobLines(result.stdout)).toEqual([
      '✓ install success',
      expect.stringMatching(/^✓ (lint|test) success$/),
      expect.stringMatching(/^✓ (lint|test) success$/),
      '✓ build success',
      '✓ release success',
    ]);
    expect(result.stdout).toContain('Saved cache npm from .npm');
    expect(result.stdout).toContain('Saved artifact dist from dist');
    expect(result.stdout).toMatch(
      /^release +\| publishing slugger@1\.0\.0 \(index\.js\) with token \*\*\*$/m,
    );
    expect(result.stdout).not.toContain(token);
    // Without --approve the release waits for no one: it is rejected, saying how to approve it.
    const unapproved = await runCliProcess(['run', '--env', `NODE_IMAGE=${image}`], { cwd: dir });
    expect(unapproved.code).toBe(0);
    expect(jobLines(unapproved.stdout).at(-1)).toBe('- release skipped');
    expect(unapproved.stdout).toContain('Rejected by gibbon run at');
    expect(unapproved.stdout).toContain(
      'run with --approve release (or --approve-all) to approve it',
    );
  }, 120_000);

  it('node-library on a feature branch has no release job', async () => {
    const dir = await exampleRepo('node-library');
    const result = await runCliProcess(
      ['run', '--env', `NODE_IMAGE=${image}`, '--branch', 'feature/faster'],
      { cwd: dir },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^✓ build +success/m);
    expect(result.stdout).not.toContain('release');
    const verify = await runCliProcess(['verify', '--branch', 'main'], { cwd: dir });
    // A first check says it is type-checking; nothing else goes to stderr.
    expect(verify.stderr).toMatch(
      /^(Type-checking \.gibbon\/build\.ts against @gibbon\/sdk .*…\n)?$/,
    );
    expect(verify.stdout).toContain('.gibbon/build.ts is valid: 5 jobs for branch main');
  }, 120_000);

  it('the YAML pipeline runs its container jobs and passes an artifact on', async () => {
    const dir = await exampleRepo('yaml-pipeline', '.gibbon/build.yaml');
    const result = await runCliProcess(['run'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(jobLines(result.stdout)).toEqual([
      '✓ check success',
      '✓ build success',
      '✓ verify success',
    ]);
    expect(result.stdout).toMatch(/^verify +\| the published page names the site$/m);
  }, 120_000);

  it('the MonkeyCI pipeline runs unchanged (but for the image), its preview open on the runner', async () => {
    const dir = await exampleRepo('monkeyci', '.monkeyci/build.yaml');
    // The preview listens on the host network here (no bridge), on a port nothing else holds,
    // for as long as the test needs to look at it.
    const port = await unusedPort();
    const file = join(dir, '.monkeyci/build.yaml');
    const text = await readFile(file, 'utf8');
    await writeFile(
      file,
      text
        .replaceAll('8080', String(port))
        .replace(/PREVIEW_SECONDS: (['"])120\1/, 'PREVIEW_SECONDS: "4"'),
    );
    git(dir, ['commit', '-q', '-am', 'preview port']);
    const run = startCli(['run'], { cwd: dir, env: { GIBBON_JOB_NETWORK: 'host' } });
    await waitForOutput(run.output, (out) => out.includes('previewing for 4 s'), 60_000);
    expect(run.output()).toContain(
      `preview | Port ${port} is the runner's own port ${port} (the job uses the host network).`,
    );
    let page = '';
    for (let tries = 0; tries < 40 && page === ''; tries += 1) {
      page = await fetch(`http://127.0.0.1:${port}/`)
        .then((answer) => answer.text())
        .catch(() => new Promise<string>((resolve) => setTimeout(() => resolve(''), 100)));
    }
    expect(page).toBe('Hello, Reviewer!\n');
    const result = await run.result;
    expect(result.code).toBe(0);
    expect(jobLines(result.stdout).slice(0, 3)).toEqual([
      '✓ build success',
      '✓ test success',
      '✓ package success',
    ]);
    expect(jobLines(result.stdout).slice(3).sort()).toEqual([
      '- publish skipped',
      '✓ preview success',
    ]);
    expect(result.stdout).toMatch(/^test +\| greet works$/m);
    // MonkeyCI's blocked job waits for a person: here, gibbon run --approve. Without a network
    // the preview runs unexposed, saying so.
    const approved = await runCliProcess(['run', '--approve', 'publish'], { cwd: dir });
    expect(approved.code).toBe(0);
    expect(jobLines(approved.stdout)).toContain('✓ publish success');
    expect(approved.stdout).toMatch(/^publish +\| published greet\.tar\.gz$/m);
    expect(approved.stdout).toContain(
      `preview | Port ${port} not exposed: this job has no network`,
    );
  }, 120_000);

  it('deploy-matrix adds one deploy job per region its plan job found, each given the version', async () => {
    const dir = await exampleRepo('deploy-matrix');
    const result = await runCliProcess(['run', '--env', `NODE_IMAGE=${image}`], { cwd: dir });
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    const lines = jobLines(result.stdout);
    expect(lines.slice(0, 2)).toEqual(['✓ plan success', '✓ fan-out success']);
    // The two deploys run at once; either may end first.
    expect(lines.slice(2).sort()).toEqual(['✓ deploy-eu-west success', '✓ deploy-us-east success']);
    expect(result.stdout).toMatch(/^fan-out +\| deploying to eu-west, us-east$/m);
    expect(result.stdout).toMatch(/^deploy-us-east +\| deploying version 1\.4\.1 to us-east$/m);
  }, 120_000);

  it('node-service passes its tests against a Postgres service container, gone with the job', async () => {
    const dir = await exampleRepo('node-service');
    // What `npm ci` would have installed (the job has no registry, the test image no npm),
    // committed as the build's checkout then holds it; .gitignore names node_modules, hence -f.
    expect(await installLockedFromWorkspace(dir)).toContainEqual(expect.stringMatching(/^pg@8\./));
    git(dir, ['add', '-f', 'node_modules']);
    git(dir, ['commit', '-q', '-m', 'node_modules as npm ci lays them out']);
    const run = startCli(
      ['run', '--env', `NODE_IMAGE=${image}`, '--env', `POSTGRES_IMAGE=${postgresImage}`],
      { cwd: dir },
    );
    const result = await run.result;
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(jobLines(result.stdout)).toEqual(['✓ install success', '✓ test success']);
    expect(result.stdout).toMatch(/^install +\| no npm in the image: npm ci skipped/m);
    expect(result.stdout).toMatch(/^test +\| Service db is healthy$/m);
    for (const name of [
      'a link is created and read back',
      'a short link redirects to its url',
      'a taken slug is refused with 409',
      'a url the schema does not allow is refused with 400',
    ]) {
      expect(result.stdout).toMatch(new RegExp(`^test +\\| ok \\d+ - ${name}$`, 'm'));
    }
    expect(result.stdout).toMatch(/^test +\| # fail 0$/m);
    // The service's output is a section of the job's log, after the job's own.
    expect(result.stdout).toContain(`Service db (${postgresImage}): its output`);
    expect(result.stdout).toMatch(
      /^test +\| db \| .*database system is ready to accept connections$/m,
    );
    // The 409 was Postgres's unique constraint, answered by the service.
    expect(result.stdout).toMatch(/^test +\| db \| .*violates unique constraint "links_pkey"$/m);
    // The engine removed the service with the job (the CLI's own last sweep would say nothing).
    expect(result.stdout).not.toContain('Could not remove service container');
    const left = await dockerClient().listContainers({
      all: true,
      filters: { label: ['gibbon.service'] },
    });
    const runner = `gibbon-cli-${run.child.pid}-`;
    expect(left.filter((each) => each.Labels['gibbon.runner']?.startsWith(runner))).toEqual([]);
  }, 180_000);

  it('the monorepo tests only the packages a commit changed', async () => {
    const dir = await exampleRepo('monorepo');
    await writeFile(
      join(dir, 'packages/web/index.js'),
      "export const name = () => 'web'; // faster\n",
    );
    git(dir, ['commit', '-q', '-am', 'web: faster']);
    const result = await runCliProcess(['run', '--env', `NODE_IMAGE=${image}`], { cwd: dir });
    expect(result.code).toBe(0);
    expect(jobLines(result.stdout)).toEqual(['✓ test-web success', '✓ summary success']);
    expect(result.stdout).toMatch(/^summary +\| tested: web$/m);
    const verify = await runCliProcess(['verify', '--env', `NODE_IMAGE=${image}`], { cwd: dir });
    expect(verify.stdout).toContain('.gibbon/build.ts is valid: 2 jobs for branch main');
  }, 120_000);
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliProcess } from './cli-process';
import { tempRepo, writeFiles } from './temp-repo';

const dirs: string[] = [];

afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function verify(files: Record<string, string>, args: string[] = []) {
  const dir = await tempRepo(files);
  dirs.push(dir);
  return runCliProcess(['verify', ...args], { cwd: dir });
}

/** What a first check of a script says on stderr while TypeScript loads and checks it. */
const typeChecking = /^Type-checking \.gibbon\/build\.ts against @gibbon\/sdk .*…\n/;

const pipelineTs = `import { action, container, pipeline } from '@gibbon/sdk';

export default pipeline((ctx) => [
  container('install', { image: 'node:20', script: ['npm ci'] }),
  container('lint', { image: 'node:20', script: ['npm run lint'], dependsOn: ['install'] }),
  container('test', { image: 'node:20', script: ['npm test'], dependsOn: ['install'] }),
  ctx.git.branch === ctx.repo.mainBranch &&
    action('release', async (job) => job.log('release'), { dependsOn: ['lint', 'test'] }),
]);
`;

describe('gibbon verify', () => {
  it('prints the jobs of a valid script as a dependency tree for the branch', async () => {
    // A cache of its own, so this is the script's first check.
    const cache = await mkdtemp(join(tmpdir(), 'gibbon-cli-verify-cache-'));
    dirs.push(cache);
    const dir = await tempRepo({ '.gibbon/build.ts': pipelineTs });
    dirs.push(dir);
    const first = await runCliProcess(['verify'], { cwd: dir, env: { XDG_CACHE_HOME: cache } });
    expect(first.stderr).toMatch(new RegExp(`${typeChecking.source}$`));
    const result = await runCliProcess(['verify'], { cwd: dir, env: { XDG_CACHE_HOME: cache } });
    expect(result.stderr).toBe(''); // checked before: nothing to say
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')).toEqual([
      '.gibbon/build.ts is valid: 4 jobs for branch main',
      'install  container node:20',
      '├── lint  container node:20',
      '│   └── release  action  (also needs test)',
      '└── test  container node:20',
      '',
    ]);
  }, 60_000);

  it('resolves the pipeline for --branch, without the main-only job', async () => {
    const result = await verify({ '.gibbon/build.ts': pipelineTs }, [
      '--branch',
      'feature/x',
      '--json',
    ]);
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as { jobs: { id: string }[] };
    expect(parsed.jobs.map((job) => job.id)).toEqual(['install', 'lint', 'test']);
  }, 60_000);

  it('reports a syntax error with file, line and column', async () => {
    const result = await verify({
      '.gibbon/build.ts':
        "import { container } from '@gibbon/sdk';\nexport default [container('a', {{]];\n",
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/\.gibbon\/build\.ts:2:\d+: /);
  }, 60_000);

  it('reports a type error against the SDK with its position', async () => {
    const result = await verify({
      '.gibbon/build.ts':
        "import { container } from '@gibbon/sdk';\n\nexport default container('a', { image: 'x', script: 'npm test' });\n",
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^\.gibbon\/build\.ts:3:\d+: error TS2\d+: .*string/m);
  }, 60_000);

  it('reports a cycle, naming the jobs, at the first job of it', async () => {
    const result = await verify({
      '.gibbon/build.ts': `import { container } from '@gibbon/sdk';
export default [
  container('a', { image: 'x', script: ['true'], dependsOn: ['b'] }),
  container('b', { image: 'x', script: ['true'], dependsOn: ['a'] }),
];
`,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      '.gibbon/build.ts:3:3: the job graph is invalid: the jobs depend on each other in a cycle: a → b → a',
    );
  }, 60_000);

  it('reports an unknown dependency at the line of the job that has it', async () => {
    const result = await verify({
      '.gibbon/build.ts': `import { container } from '@gibbon/sdk';
export default [
  container('ok', { image: 'x', script: ['true'] }),
  container("a", { image: 'x', script: ['true'], dependsOn: ['build'] }),
  container(\`computed-\${1}\`, { image: 'x', script: ['true'], dependsOn: ['gone'] }),
];
`,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      '.gibbon/build.ts:4:3: the job graph is invalid: job "a" depends on "build", which is not a job of this build',
    );
    // A computed id has no literal to point at: the problem comes without a position.
    expect(result.stderr).toContain(
      '.gibbon/build.ts: the job graph is invalid: job "computed-1" depends on "gone"',
    );
  }, 60_000);

  it('reports a script that throws while loading', async () => {
    const result = await verify({
      '.gibbon/build.ts': "throw new Error('no config here');\nexport default [];\n",
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('The build script threw while loading: no config here');
  }, 60_000);

  it('reports bad YAML with line and column', async () => {
    const result = await verify({
      '.gibbon/build.yaml': 'jobs:\n  - id: a\n    image: x\n    script: [echo\n',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^\.gibbon\/build\.yaml:\d+:\d+: /m);
  }, 60_000);

  it('points at the field of a bad declarative job', async () => {
    const result = await verify({
      '.monkeyci/build.yml': '- id: a\n  image: x\n  script: "echo"\n',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('.monkeyci/build.yml:3:3: ');
    expect(result.stderr).toContain('script');
  }, 60_000);

  it('reads MonkeyCI field names and checks their dependencies', async () => {
    const ok = await verify({
      '.monkeyci/build.yaml':
        '- id: build\n  image: x\n  script: [make]\n- id: test\n  image: x\n  script: [make test]\n  dependencies: [build]\n',
    });
    expect(ok.stdout).toContain('build  container x\n└── test  container x\n');
    const bad = await verify({
      '.monkeyci/build.yaml': '- id: test\n  image: x\n  script: [make]\n  depends-on: [compile]\n',
    });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(
      '.monkeyci/build.yaml:1:3: the job graph is invalid: job "test" depends on "compile"',
    );
  }, 60_000);

  it("reads every file of .monkeyci/ as one pipeline, each problem at its own file's line", async () => {
    const ok = await verify({
      '.monkeyci/build.yaml': '- image: x\n  script: [make]\n',
      '.monkeyci/build.json':
        '[{"id": "test", "image": "x", "script": ["t"], "depends-on": ["job-1"]}]',
    });
    expect(ok.stdout).toContain('job-1  container x\n└── test  container x\n');
    const bad = await verify({
      '.monkeyci/build.yaml': '- id: a\n  image: x\n  script: [make]\n',
      '.monkeyci/build.json':
        '[\n  {"id": "b", "image": "x", "script": ["t"], "depends-on": ["c"]}\n]',
    });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(
      '.monkeyci/build.json:2:3: the job graph is invalid: job "b" depends on "c"',
    );
  }, 60_000);

  it('exits 2 when there is no build file, and verifies a folder that is not a checkout', async () => {
    const plain = await mkdtemp(join(tmpdir(), 'gibbon-cli-verify-'));
    dirs.push(plain);
    const none = await runCliProcess(['verify'], { cwd: plain });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('No build file found');
    await writeFiles(plain, {
      '.gibbon/build.json': '[{"id": "only", "image": "x", "script": ["true"]}]',
    });
    const draft = await runCliProcess(['verify', plain], { cwd: tmpdir() });
    expect(draft.stdout).toContain('.gibbon/build.json is valid: 1 job for branch main');
  }, 60_000);
});

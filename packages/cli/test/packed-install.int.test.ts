import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { runCliProcess } from './cli-process';
import { tempRepo } from './temp-repo';

// The CLI as a user installs it: packed by scripts/pack.mjs, `npm install -g` into a prefix
// of its own, started as `<prefix>/bin/gibbon` in folders outside this repository. Packing
// builds five packages and the install fetches the third-party dependencies (from npm's
// cache after the first run), hence the long time limit of the set-up.

const execFileAsync = promisify(execFile);
const cliRoot = join(__dirname, '..');
const maxBuffer = 64 * 1024 * 1024;

let scratch: string;
let prefix: string;
let bin: string;
const repos: string[] = [];

beforeAll(async () => {
  scratch = await realpath(await mkdtemp(join(tmpdir(), 'gibbon-packed-')));
  prefix = join(scratch, 'prefix');
  bin = join(prefix, 'bin', 'gibbon');
  const packed = await execFileAsync(
    process.execPath,
    [join(cliRoot, 'scripts', 'pack.mjs'), join(scratch, 'tarball')],
    { maxBuffer },
  );
  const tarball = packed.stdout.trim().split('\n').at(-1)!;
  await execFileAsync(
    'npm',
    [
      'install',
      '--global',
      '--prefix',
      prefix,
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
    ].concat(tarball),
    { cwd: scratch, maxBuffer },
  );
}, 300_000);

afterAll(async () => {
  await Promise.all([scratch, ...repos].map((dir) => rm(dir, { recursive: true, force: true })));
});

/**
 * The installed `gibbon` with GIBBON_CLI_FROM_SOURCE set, as the workspace's CLI tests set it:
 * an installed copy has no sources, so it must run its dist/ regardless.
 */
async function installedGibbon(args: string[], files: Record<string, string>) {
  const dir = await tempRepo(files);
  repos.push(dir);
  return runCliProcess(args, {
    cwd: dir,
    launcher: bin,
    env: { XDG_CACHE_HOME: join(scratch, 'cache') },
  });
}

/** Every symbolic link under `folder`, with where it leads. */
async function symlinksUnder(folder: string): Promise<{ link: string; target: string }[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true });
  const links = entries.filter((entry) => entry.isSymbolicLink());
  return Promise.all(
    links.map(async (entry) => {
      const link = join(entry.parentPath, entry.name);
      return { link, target: await realpath(link).catch(() => link) };
    }),
  );
}

function isInside(folder: string, path: string): boolean {
  const step = relative(folder, path);
  return !step.startsWith('..') && !isAbsolute(step);
}

describe('the packed CLI installed with npm install -g', () => {
  it('is a command: <prefix>/bin/gibbon --version prints the version', async () => {
    const { version } = JSON.parse(await readFile(join(cliRoot, 'package.json'), 'utf8')) as {
      version: string;
    };
    // Started as a command (its #!/usr/bin/env node line), not through node.
    const path = `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`;
    const { stdout } = await execFileAsync(bin, ['--version'], {
      cwd: scratch,
      env: { ...process.env, PATH: path },
    });
    expect(stdout).toBe(`${version}\n`);
  });

  it('lists its commands for --help', async () => {
    const result = await installedGibbon(['--help'], { 'README.md': 'hello\n' });
    expect(result.code).toBe(0);
    for (const command of ['run', 'verify', 'test', 'builds', 'server']) {
      expect(result.stdout).toMatch(new RegExp(`^  ${command} +\\S`, 'm'));
    }
  });

  it('verifies a build script against the SDK it ships, types included', async () => {
    const valid = await installedGibbon(['verify'], {
      '.gibbon/build.ts': `import { container, pipeline } from '@gibbon/sdk';
export default pipeline(() => [
  container('install', { image: 'node:20', script: ['npm ci'] }),
  container('test', { image: 'node:20', script: ['npm test'], dependsOn: ['install'] }),
]);
`,
    });
    expect(valid.stderr).toMatch(/^Type-checking \.gibbon\/build\.ts against @gibbon\/sdk .*…\n$/);
    expect(valid.code).toBe(0);
    expect(valid.stdout).toBe(
      '.gibbon/build.ts is valid: 2 jobs for branch main\n' +
        'install  container node:20\n' +
        '└── test  container node:20\n',
    );
    const mistyped = await installedGibbon(['verify'], {
      '.gibbon/build.ts':
        "import { container } from '@gibbon/sdk';\n\nexport default container('a', { image: 'x', script: 'npm test' });\n",
    });
    expect(mistyped.code).toBe(1);
    expect(mistyped.stderr).toMatch(/^\.gibbon\/build\.ts:3:\d+: error TS2322: .*string/m);
  }, 60_000);

  it('runs an action job, bundling the SDK it ships into the script', async () => {
    const result = await installedGibbon(['run'], {
      '.gibbon/build.ts': `import { action, pipeline } from '@gibbon/sdk';
export default pipeline(() => [action('hello', async (job) => job.log('hello from the package'))]);
`,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('hello  | hello from the package\n');
    expect(result.stdout).toMatch(/Build success\n$/);
  }, 60_000);

  it('holds all it runs inside the prefix: the workspace packages bundled, no sources', async () => {
    const installed = join(prefix, 'lib', 'node_modules', '@gibbon', 'cli');
    expect(await realpath(bin)).toBe(join(installed, 'bin', 'gibbon.mjs'));
    const bundled = await readdir(join(installed, 'node_modules', '@gibbon'));
    expect(bundled.sort()).toEqual(['contracts', 'engine', 'sdk', 'storage']);
    for (const folder of [
      installed,
      ...bundled.map((name) => join(installed, 'node_modules', '@gibbon', name)),
    ]) {
      expect([folder, (await readdir(folder)).includes('src')]).toEqual([folder, false]);
    }
    const outside = (await symlinksUnder(prefix)).filter(({ target }) => !isInside(prefix, target));
    expect(outside).toEqual([]);
  });
});

import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tempRepo } from './temp-repo';

const repositoryRoot = join(__dirname, '..', '..', '..');

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `pnpm --dir <repository> gibbon ...` typed in `dir`. */
function pnpmGibbon(dir: string, args: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      'pnpm',
      ['--dir', repositoryRoot, 'gibbon', ...args],
      { cwd: dir, env: { ...process.env, GIBBON_CLI_FROM_SOURCE: '1' } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('pnpm gibbon at the repository root', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await tempRepo({
      '.gibbon/build.json': '[{"id": "only", "image": "x", "script": ["true"]}]',
    });
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  // pnpm 12 prints its own `$ node ...` line and, on a non-zero exit, an ELIFECYCLE line, both on
  // stderr (only `--loglevel silent` removes them); stdout stays the CLI's own, `--json` too.
  it('runs the CLI on the folder the user typed the command in; stdout is the CLI’s own', async () => {
    const { code, stdout } = await pnpmGibbon(dir, ['verify']);
    expect(code).toBe(0);
    expect(stdout).toContain('.gibbon/build.json is valid: 1 job for branch main');
    expect(stdout).not.toMatch(/\$ node|ELIFECYCLE/);
  }, 60_000);

  it('keeps the CLI’s exit codes (2 stays 2)', async () => {
    const usage = await pnpmGibbon(dir, ['no-such-command']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('gibbon: unknown command "no-such-command".');
    expect(usage.stdout).not.toMatch(/ELIFECYCLE|ERR_PNPM/);
    const quiet = await pnpmGibbon(dir, ['--version']);
    expect(quiet.code).toBe(0);
  }, 60_000);
});

import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { tempRepo } from './temp-repo';

const run = promisify(execFile);
const repositoryRoot = join(__dirname, '..', '..', '..');

describe('pnpm gibbon at the repository root', () => {
  it('runs the CLI on the folder the user typed the command in', async () => {
    const dir = await tempRepo({
      '.gibbon/build.json': '[{"id": "only", "image": "x", "script": ["true"]}]',
    });
    try {
      const { stdout } = await run('pnpm', ['--dir', repositoryRoot, 'gibbon', 'verify'], {
        cwd: dir,
        env: { ...process.env, GIBBON_CLI_FROM_SOURCE: '1' },
      });
      expect(stdout).toContain('.gibbon/build.json is valid: 1 job for branch main');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

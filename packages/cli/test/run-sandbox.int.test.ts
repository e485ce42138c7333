import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { runCliProcess } from './cli-process';
import { tempRepo } from './temp-repo';

const dirs: string[] = [];

afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

// One action job that reports what the script can reach: a file outside the checkout (by
// absolute path, through ctx.env), and the processes it can see in /proc.
const peek = `
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { action, pipeline } from '@gibbon/sdk';
export default pipeline((ctx) => [
  action('peek', async (job) => {
    try {
      job.log('outside file: ' + readFileSync(ctx.env.OUTSIDE_FILE!, 'utf8').trim());
    } catch (error) {
      job.log('outside file: ' + (error as NodeJS.ErrnoException).code);
    }
    const pids = readdirSync('/proc').filter((entry) => /^\\d+$/.test(entry));
    job.log('processes: ' + pids.length);
    job.log('test runner visible: ' + existsSync('/proc/' + ctx.env.TEST_RUNNER_PID));
  }),
]);
`;

async function peekRepo(): Promise<{ dir: string; outsideFile: string }> {
  const dir = await tempRepo({ '.gibbon/build.ts': peek });
  const outside = await mkdtemp(join(tmpdir(), 'gibbon-cli-outside-'));
  dirs.push(dir, outside);
  const outsideFile = join(outside, 'host-secret.txt');
  await writeFile(outsideFile, 'host only\n');
  return { dir, outsideFile };
}

function peekArgs(outsideFile: string): string[] {
  return ['--env', `OUTSIDE_FILE=${outsideFile}`, '--env', `TEST_RUNNER_PID=${process.pid}`];
}

describe('gibbon run --sandbox', () => {
  it('without --sandbox the script sees the machine: files outside the checkout, every process', async () => {
    const { dir, outsideFile } = await peekRepo();
    const result = await runCliProcess(['run', ...peekArgs(outsideFile)], { cwd: dir });
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toMatch(/^peek +\| outside file: host only$/m);
    expect(result.stdout).toMatch(/^peek +\| test runner visible: true$/m);
  }, 60_000);

  it('with --sandbox the script sees only its box: no file outside, only its own processes', async () => {
    const { dir, outsideFile } = await peekRepo();
    const result = await runCliProcess(['run', '--sandbox', ...peekArgs(outsideFile)], {
      cwd: dir,
    });
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toMatch(/^peek +\| outside file: ENOENT$/m);
    expect(result.stdout).toMatch(/^peek +\| test runner visible: false$/m);
    // The box's own /proc: bwrap's init and the script's node, nothing of the machine.
    const processes = Number(/^peek +\| processes: (\d+)$/m.exec(result.stdout)?.[1]);
    expect(processes).toBeGreaterThanOrEqual(1);
    expect(processes).toBeLessThanOrEqual(3);
    expect(result.stdout).toMatch(/^Build success$/m);
  }, 60_000);

  it('exits 2 with one line saying what failed and how to fix it when bwrap is missing', async () => {
    const { dir, outsideFile } = await peekRepo();
    // A PATH with git and the util-linux tools the box command runs before bwrap (setpriv,
    // choom, prlimit) but no bwrap; node is started by its absolute path.
    const bin = await mkdtemp(join(tmpdir(), 'gibbon-cli-no-bwrap-'));
    dirs.push(bin);
    for (const program of ['git', 'setpriv', 'choom', 'prlimit']) {
      const path = execFileSync('sh', ['-c', `command -v ${program}`], { encoding: 'utf8' });
      await symlink(path.trim(), join(bin, program));
    }
    const result = await runCliProcess(['run', '--sandbox', ...peekArgs(outsideFile)], {
      cwd: dir,
      env: { PATH: bin },
    });
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^gibbon run: Cannot sandbox the build script on this machine \(.*bwrap.*\): install bubblewrap \(Debian: apt-get install bubblewrap\); or run without --sandbox\.$/,
    );
    expect(result.stdout).not.toContain('peek');
  }, 60_000);
});

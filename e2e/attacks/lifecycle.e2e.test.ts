import { execFile } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { Build } from '@gibbon/contracts';
import { waitForEnd, waitForLogLine } from '../build/harness';
import { shareAttackStack, type AttackStack } from './harness/attack-stack';

// Plan test 31 (e2e/attacks/README.md): jobs that will not stop. Each one ignores SIGTERM and
// SIGINT and leaves behind children that escape its process group and session (setsid, nohup);
// container jobs ignore SIGTERM as their first process. A job timeout and a user's cancel must
// end all of it: the runner's grace (10 s) and then SIGKILL for the whole tree, the containers
// removed, and nothing of the job left running. The processes carry a marker (their `sleep`
// duration) so they can be found in /proc, the box's and the machine's.
jest.setTimeout(240_000);

const run = promisify(execFile);

let attack: AttackStack;
shareAttackStack({ runner: true }, (started) => (attack = started));

/** A shell that ignores TERM and INT and leaves a setsid'd loop and a nohup'd sleep behind. */
function stubbornShell(marker: number): string {
  return [
    "trap '' TERM INT",
    `setsid sh -c "trap '' TERM INT; while true; do sleep ${marker}; done" &`,
    `nohup sleep ${marker + 1} >/dev/null 2>&1 &`,
    'echo "children started"',
    'while true; do sleep 1; done',
  ].join('\n');
}

/** A container's first process that ignores TERM and INT. */
function stubbornContainer(marker: number): string {
  return `trap '' TERM INT; echo "container started"; while true; do sleep ${marker + 2}; done`;
}

/** Processes of the machine (any box, any container) whose command line holds `sleep <n>` for a marker. */
async function processesWith(marker: number): Promise<string[]> {
  const wanted = new Set([marker, marker + 1, marker + 2].map((n) => `sleep ${n}`));
  const found: string[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    const command = cmdline.split('\0').filter(Boolean).join(' ');
    if ([...wanted].some((text) => command.includes(text))) found.push(`${entry}: ${command}`);
  }
  return found;
}

async function containersOf(build: Build): Promise<string[]> {
  const { stdout } = await run('docker', [
    'ps',
    '--all',
    '--quiet',
    '--filter',
    `label=gibbon.build=${build.id}`,
  ]);
  return stdout.split('\n').filter(Boolean);
}

async function runBuild(branch: string, script: string): Promise<Build> {
  await attack.project.commitScript(branch, script);
  return attack.project.trigger(branch);
}

describe('E. jobs that will not stop', () => {
  test('E31 timeout: a job past its timeout is ended whole after the grace, container and escaped children included, while its build goes on', async () => {
    await attack.withLogs(async () => {
      const marker = randomInt(20_000, 30_000);
      const image = attack.image!;
      // `watcher` runs in the same box as `action`: it waits until it has seen the stubborn
      // processes and then until none is left, and says which it saw.
      const script = `import { readdirSync, readFileSync } from 'node:fs';
import { action, container, pipeline } from '@gibbon/sdk';

const markers = [${marker}, ${marker + 1}].map((n) => 'sleep ' + n);
function stubborn(): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\\d+$/.test(name))) {
    let command = '';
    try { command = readFileSync('/proc/' + pid + '/cmdline', 'utf8').split('\\0').join(' '); } catch {}
    if (markers.some((marker) => command.includes(marker))) found.push(command.trim());
  }
  return found;
}

export default pipeline(() => [
  action('action', async (job) => {
    await job.sh(['sh', '-c', ${JSON.stringify(stubbornShell(marker))}]);
  }, { timeout: 3 }),
  container('container', {
    image: ${JSON.stringify(image)},
    command: ['sh', '-c', ${JSON.stringify(stubbornContainer(marker))}],
    timeout: 3,
  }),
  action('watcher', async (job) => {
    const started = Date.now();
    let seen: string[] = [];
    while (Date.now() - started < 90_000) {
      const now = stubborn();
      if (now.length > seen.length) seen = now;
      if (seen.length >= 2 && now.length === 0) {
        job.log('saw ' + seen.length + ' stubborn processes, then none');
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('still running after 90 s: ' + stubborn().join(', '));
  }),
]);
`;
      const queued = await runBuild('e31-timeout', script);
      await waitForLogLine(attack.project, queued.number, 'action', 'children started');
      await waitForLogLine(attack.project, queued.number, 'container', 'container started');
      const ended = await waitForEnd(attack.project, queued.number, 150_000);
      const jobs = Object.fromEntries(ended.jobs.map((job) => [job.id, job]));
      expect(jobs.action).toMatchObject({ status: 'timed_out' });
      expect(jobs.container).toMatchObject({ status: 'timed_out' });
      expect(jobs.watcher).toMatchObject({ status: 'success' });
      // The shell, its setsid'd loop and that loop's sleep, the nohup'd sleep: all gone.
      const watched = await attack.project.jobLog(ended.number, 'watcher');
      expect(
        Number(/^saw (\d+) stubborn processes, then none$/m.exec(watched)?.[1]),
      ).toBeGreaterThanOrEqual(3);
      expect(await processesWith(marker)).toEqual([]);
      expect(await containersOf(ended)).toEqual([]);
    });
  });

  test('E31 cancel: a canceled build ends whole after the grace: the box with every child, and its running containers', async () => {
    await attack.withLogs(async () => {
      const marker = randomInt(30_000, 40_000);
      const image = attack.image!;
      const script = `import { action, container, pipeline } from '@gibbon/sdk';

export default pipeline(() => [
  action('action', async (job) => {
    await job.sh(['sh', '-c', ${JSON.stringify(stubbornShell(marker))}]);
  }),
  container('sidecar', {
    image: ${JSON.stringify(image)},
    command: ['sh', '-c', ${JSON.stringify(stubbornContainer(marker))}],
  }),
]);
`;
      const queued = await runBuild('e31-cancel', script);
      await waitForLogLine(attack.project, queued.number, 'action', 'children started');
      await waitForLogLine(attack.project, queued.number, 'sidecar', 'container started');
      expect((await processesWith(marker)).length).toBeGreaterThanOrEqual(4);
      expect(await containersOf(queued)).toHaveLength(1);
      await attack.admin.ok('POST', `${attack.project.repoPath}/builds/${queued.number}/cancel`);
      // The grace is 10 s; the wait allows far more, so a slow machine does not fail the test,
      // but a job that is never killed does.
      const ended = await waitForEnd(attack.project, queued.number, 60_000);
      expect(ended).toMatchObject({ status: 'canceled' });
      const jobs = Object.fromEntries(ended.jobs.map((job) => [job.id, job]));
      expect(jobs.action).toMatchObject({ status: 'canceled' });
      expect(jobs.sidecar).toMatchObject({ status: 'canceled' });
      expect(await processesWith(marker)).toEqual([]);
      expect(await containersOf(ended)).toEqual([]);
    });
  });
});

import {
  ensureTestImage,
  githubDelivery,
  startGitRemote,
  startRecordingServer,
  startS3Server,
  type GitRemote,
} from '@gibbon/test-kit';
import { waitForEnd, waitForLogLine, waitUntil } from './harness';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Build } from '@gibbon/contracts';
import { approvalScript, tickingScript } from './harness/build-scripts';
import { repoRoot } from './harness/service-process';
import { containersWithLabel } from './harness/docker';
import { EventRecorder } from './harness/event-stream';
import { Project, org, repoName } from './harness/project';
import { Stack } from './harness/stack';
import { withServiceLogs } from './harness/with-logs';

// kill -9 of a runner mid-build: its lease runs out (3 s here), public-api re-queues the build,
// a fresh runner finishes it, and the killed runner reaps its orphaned container on restart.
// A job that waits for approval waits again on the fresh runner, and `gibbon approve` lets it run.
jest.setTimeout(120_000);

const leaseSeconds = 3;
let stack: Stack;
let remote: GitRemote;
let project: Project;
let image: string;

beforeAll(async () => {
  image = await ensureTestImage();
  remote = await startGitRemote();
  stack = await Stack.start(
    { github: await startRecordingServer(), s3: await startS3Server() },
    // The test remote is on 127.0.0.1: allowed as an operator would, through GIBBON_GIT_HOSTS.
    { leaseSeconds, serviceEnv: { GIBBON_GIT_HOSTS: '127.0.0.1' } },
  );
  project = await Project.create(stack.admin, {
    createRepository: (name, auth) => remote.createRepository(name, { auth }),
    sign: githubDelivery,
  });
}, 120_000);

afterAll(async () => {
  await stack?.close();
  await remote?.close();
});

it('kill -9 of the runner: the build is re-queued, a fresh runner finishes it, the container is reaped', async () => {
  await withServiceLogs(
    () => stack.logs(),
    async () => {
      const killed = await stack.addRunner('doomed');
      const events = await EventRecorder.open(stack.admin, org);
      const ticks = 20;
      const sha = await project.commitScript('crash', tickingScript(image, ticks, 1));
      const { number, id } = (await project.deliverPush('crash', sha)).body.build!;
      await waitForLogLine(project, number, 'ticks', 'tick 2');
      const orphans = await containersWithLabel('gibbon.runner', killed.runnerId);
      expect(orphans).toEqual([expect.objectContaining({ state: 'running' })]);

      expect(await killed.process?.kill()).toEqual({ code: null, signal: 'SIGKILL' });
      const killedAt = Date.now();
      const fresh = await stack.addRunner('fresh');
      await waitUntil(
        'the build to be re-queued and claimed again',
        () => {
          const statuses = events.buildStatuses(number);
          return Promise.resolve(statuses.length >= 4 ? statuses : undefined);
        },
        { timeoutMs: 30_000, describe: () => JSON.stringify(events.buildStatuses(number)) },
      );
      const requeuedAfterMs = Date.now() - killedAt;
      expect(events.buildStatuses(number)).toEqual(['queued', 'running', 'queued', 'running']);
      expect(requeuedAfterMs).toBeGreaterThanOrEqual(leaseSeconds * 1000 - 1000);
      await waitUntil(
        "the fresh runner's container",
        async () =>
          (await containersWithLabel('gibbon.runner', fresh.runnerId)).length > 0
            ? true
            : undefined,
        { timeoutMs: 30_000 },
      );

      // The killed runner's container outlived it; its restart (same id) removes it.
      expect(await containersWithLabel('gibbon.runner', killed.runnerId)).toEqual(orphans);
      await killed.start();
      expect(await containersWithLabel('gibbon.runner', killed.runnerId)).toEqual([]);

      const build = await waitForEnd(project, number, 60_000);
      await events.close();
      expect(build.status).toBe('success');
      expect(build.jobs).toEqual([
        expect.objectContaining({ id: 'ticks', status: 'success', exitCode: 0 }),
      ]);
      // The log is the finishing attempt's, whole and once: no line of the killed attempt
      // mixed in by chunk number.
      const lines = (await project.jobLog(number, 'ticks')).split('\n').filter((line) => line);
      expect(lines).toEqual([
        `+ for i in $(seq 1 ${ticks}); do echo "tick $i"; sleep 1; done`,
        ...Array.from({ length: ticks }, (_, i) => `tick ${i + 1}`),
        '+ echo ticking done',
        'ticking done',
      ]);
      expect(await containersWithLabel('gibbon.build', id)).toEqual([]);
    },
  );
});

/** `gibbon <args>` as a user runs it against this stack, with the admin token. */
async function gibbon(args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [join(repoRoot, 'packages/cli/bin/gibbon.mjs'), ...args],
    { env: { ...process.env, GIBBON_SERVER_URL: stack.url, GIBBON_TOKEN: stack.admin.token } },
  );
  return stdout;
}

async function jobStatus(number: number, jobId: string): Promise<Build['jobs'][number]['status']> {
  return (await project.build(number)).jobs.find((job) => job.id === jobId)?.status ?? 'pending';
}

it('a job waiting for approval survives kill -9 of its runner: it waits again, and gibbon approve lets it run', async () => {
  await withServiceLogs(
    () => stack.logs(),
    async () => {
      // Only the runner about to be killed may claim the build: the others stop (they are idle).
      for (const runner of stack.runners) await runner.process?.stop();
      const killed = await stack.addRunner('gate-doomed');
      const events = await EventRecorder.open(stack.admin, org);
      const sha = await project.commitScript('gate', approvalScript(image));
      const { number, id } = (await project.deliverPush('gate', sha)).body.build!;
      const waiting = async () =>
        (await jobStatus(number, 'deploy')) === 'waiting' ? true : undefined;
      await waitUntil('deploy to wait for approval', waiting, { timeoutMs: 60_000 });
      // It holds no container while it waits.
      expect(await containersWithLabel('gibbon.build', id)).toEqual([]);

      expect(await killed.process?.kill()).toEqual({ code: null, signal: 'SIGKILL' });
      await stack.addRunner('gate-fresh');
      await waitUntil(
        'the build to be re-queued and claimed again',
        () => {
          const statuses = events.buildStatuses(number);
          return Promise.resolve(statuses.length >= 4 ? statuses : undefined);
        },
        { timeoutMs: 30_000, describe: () => JSON.stringify(events.buildStatuses(number)) },
      );
      expect(events.buildStatuses(number)).toEqual(['queued', 'running', 'queued', 'running']);
      await waitUntil('deploy to wait again on the fresh runner', waiting, { timeoutMs: 60_000 });
      expect((await project.build(number)).jobs[1]?.approval).toEqual({ decision: 'pending' });

      const approved = await gibbon([
        'approve',
        String(number),
        'deploy',
        '--repo',
        `${org}/${repoName}`,
        '--comment',
        'after the crash',
      ]);
      expect(approved).toMatch(/^ {2}deploy: approved by admin at \S+: after the crash$/m);
      const build = await waitForEnd(project, number, 60_000);
      await events.close();
      expect(build.status).toBe('success');
      expect(build.jobs.map((job) => [job.id, job.status])).toEqual([
        ['build', 'success'],
        ['deploy', 'success'],
      ]);
      expect(await project.jobLog(number, 'deploy')).toMatch(
        /^Approved by admin at \S+: after the crash\n\+ echo deployed\ndeployed\n$/,
      );
    },
  );
});

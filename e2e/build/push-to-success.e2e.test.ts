import {
  ensureTestImage,
  githubDelivery,
  startGitRemote,
  startRecordingServer,
  startS3Server,
  type GitRemote,
} from '@gibbon/test-kit';
import {
  echoScript,
  failingScript,
  releaseScript,
  throwingScript,
  tickingScript,
} from './harness/build-scripts';
import { containersWithLabel } from './harness/docker';
import type { Build } from '@gibbon/contracts';
import { followLog, isEnded, waitForEnd, waitForLogLine, waitUntil } from './harness';
import { waitForFinalStatus } from './harness/commit-statuses';
import { EventRecorder } from './harness/event-stream';
import { Project, org } from './harness/project';
import { Stack } from './harness/stack';
import { readTarGz } from './harness/tarball';
import { withServiceLogs } from './harness/with-logs';

// A signed push reaches public-api, a separate build-runner process claims, checks out
// (privately, with the repository's token), runs and reports; the user sees it all over HTTP.
jest.setTimeout(120_000);

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
    { serviceEnv: { GIBBON_GIT_HOSTS: '127.0.0.1' } },
  );
  await stack.addRunner('main');
  project = await Project.create(stack.admin, {
    createRepository: (name, auth) => remote.createRepository(name, { auth }),
    sign: githubDelivery,
  });
}, 120_000);

afterAll(async () => {
  await stack?.close();
  await remote?.close();
});

/** Every form of a secret a leak could take: plain, base64, URL-encoded, JSON-escaped. */
function formsOf(secret: string): string[] {
  return [
    secret,
    Buffer.from(secret).toString('base64'),
    encodeURIComponent(secret),
    JSON.stringify(secret).slice(1, -1),
  ];
}

describe('push webhook → build → success', () => {
  it('runs the pushed commit and shows statuses, logs, artifacts and commit statuses', async () => {
    await withServiceLogs(
      () => stack.logs(),
      async () => {
        const events = await EventRecorder.open(stack.admin, org);
        const sha = await project.commitScript('main', releaseScript(image));
        const delivered = await project.deliverPush('main', sha);
        expect(delivered.status).toBeLessThan(300);
        const queued = delivered.body.build;
        expect(queued).toMatchObject({ status: 'queued', trusted: true, git: { commit: sha } });
        const number = queued!.number;

        await waitUntil(
          'job compile to be declared',
          async () =>
            (await project.build(number)).jobs.some((j) => j.id === 'compile') ? true : undefined,
          { timeoutMs: 60_000 },
        );
        const followed = await followLog(project, number, 'compile');
        const build = await waitForEnd(project, number);
        await events.close();

        expect(build.status).toBe('success');
        expect(events.buildStatuses(number)).toEqual(['queued', 'running', 'success']);
        const jobs = Object.fromEntries(build.jobs.map((job) => [job.id, job]));
        expect(jobs.compile).toMatchObject({ kind: 'container', status: 'success', exitCode: 0 });
        expect(jobs.test).toMatchObject({ kind: 'container', status: 'success', exitCode: 0 });
        expect(jobs.secrets).toMatchObject({ kind: 'action', status: 'success' });
        expect(events.jobStatuses(number, 'test').at(-1)).toBe('success');

        // The followed stream held the job's lines and ended with the job.
        expect(followed.openedWhileRunning).toBe(true);
        expect(followed.text).toContain('compiling the e2e project\n');
        expect(followed.text).toContain('compile finished\n');
        const logs = {
          compile: await project.jobLog(number, 'compile'),
          test: await project.jobLog(number, 'test'),
          secrets: await project.jobLog(number, 'secrets'),
        };
        expect(logs.compile).toBe(followed.text);
        expect(logs.test).toContain('all 3 tests passed\n');
        expect(logs.secrets).toContain('params visible: 1\n');
        expect(logs.secrets).toContain('canary: present\n');
        expect(logs.secrets).toContain('plain ***');
        expect(logs.secrets).toContain('sh ***');
        const everything = Object.values(logs).join('\n') + (await stack.logs());
        for (const form of formsOf(project.secrets.canary)) expect(everything).not.toContain(form);
        for (const form of formsOf(project.secrets.githubToken))
          expect(everything).not.toContain(form);

        const artifacts = await stack.admin.ok<{ items: { id: string; size: number }[] }>(
          'GET',
          `${project.repoPath}/builds/${number}/artifacts`,
        );
        expect(artifacts.items.map((artifact) => artifact.id)).toEqual(['dist']);
        const download = await stack.admin.fetch(
          `${project.repoPath}/builds/${number}/artifacts/dist`,
        );
        expect(download.status).toBe(200);
        const entries = readTarGz(Buffer.from(await download.arrayBuffer()));
        const hello = entries.find(
          (entry) => entry.type === 'file' && entry.name.endsWith('hello.txt'),
        );
        expect(hello?.content.toString()).toBe('built by gibbon\n');

        const statuses = await waitForFinalStatus(stack.github, sha);
        expect(statuses[0]?.state).toBe('pending');
        expect(statuses.map((status) => status.state).at(-1)).toBe('success');
        expect(statuses.every((status) => status.context === 'gibbon')).toBe(true);
        expect(statuses[0]?.authorization).toContain(project.secrets.githubToken);
      },
    );
  });

  it('a failing job fails the build, skips its dependent and sends a failure status', async () => {
    await withServiceLogs(
      () => stack.logs(),
      async () => {
        const sha = await project.commitScript('broken', failingScript(image));
        const delivered = await project.deliverPush('broken', sha);
        const build = await waitForEnd(project, delivered.body.build!.number);

        expect(build.status).toBe('failure');
        const jobs = Object.fromEntries(build.jobs.map((job) => [job.id, job]));
        expect(jobs.unit).toMatchObject({ status: 'failure', exitCode: 3 });
        expect(jobs.deploy).toMatchObject({ status: 'skipped' });
        expect(await project.jobLog(build.number, 'unit')).toContain('running unit tests\n');
        const statuses = await waitForFinalStatus(stack.github, sha);
        expect(statuses.map((status) => status.state)).toEqual(
          expect.arrayContaining(['pending', 'failure']),
        );
        expect(statuses.at(-1)?.state).toBe('failure');
      },
    );
  });

  it('a script that throws at load ends the build as error with its message, no job run', async () => {
    await withServiceLogs(
      () => stack.logs(),
      async () => {
        const sha = await project.commitScript('no-pipeline', throwingScript());
        const delivered = await project.deliverPush('no-pipeline', sha);
        const build = await waitForEnd(project, delivered.body.build!.number);

        expect(build).toMatchObject({ status: 'error', jobs: [] });
        expect(build.message).toContain('no pipeline today: the config file is missing');
        const statuses = await waitForFinalStatus(stack.github, sha);
        expect(statuses.at(-1)?.state).toBe('error');
      },
    );
  });

  it("a clone refused for a wrong githubToken ends as error with git's message, token masked", async () => {
    await withServiceLogs(
      () => stack.logs(),
      async () => {
        const wrongToken = `ghp_wrong_${Date.now()}`;
        await stack.admin.ok('POST', `/v1/orgs/${org}/repos`, {
          name: 'locked-out',
          url: project.git.url,
          githubToken: wrongToken,
        });
        const path = `/v1/orgs/${org}/repos/locked-out/builds`;
        const { number } = await stack.admin.ok<Build>('POST', path, { branch: 'main' });
        const build = await waitUntil(
          'the locked-out build to end',
          async () => {
            const current = await stack.admin.ok<Build>('GET', `${path}/${number}`);
            return isEnded(current.status) ? current : undefined;
          },
          { timeoutMs: 60_000 },
        );

        expect(build).toMatchObject({ status: 'error', jobs: [] });
        expect(build.message).toMatch(/401|auth/i);
        expect(JSON.stringify(build)).not.toContain(wrongToken);
        expect(await stack.logs()).not.toContain(wrongToken);
      },
    );
  });

  it('a push of a commit the branch has since moved past builds that exact commit', async () => {
    await withServiceLogs(
      () => stack.logs(),
      async () => {
        const older = await project.commitScript('pinned', echoScript(image, 'version one'));
        for (const version of ['two', 'three']) {
          await project.commitScript('pinned', echoScript(image, `version ${version}`));
        }
        const delivered = await project.deliverPush('pinned', older);
        const build = await waitForEnd(project, delivered.body.build!.number);

        expect(build).toMatchObject({ status: 'success', git: { commit: older } });
        expect(await project.jobLog(build.number, 'say')).toBe('version one\n');
      },
    );
  });

  it('a pull request from a fork builds untrusted: the script sees no parameter', async () => {
    await withServiceLogs(
      () => stack.logs(),
      async () => {
        const sha = await project.commitScript('patch-1', releaseScript(image));
        const delivered = await project.deliverForkPullRequest(7, sha);
        expect(delivered.body.build).toMatchObject({ trusted: false });
        const build = await waitForEnd(project, delivered.body.build!.number);

        expect(build.status).toBe('success');
        const log = await project.jobLog(build.number, 'secrets');
        expect(log).toContain('params visible: 0\n');
        expect(log).toContain('canary: absent\n');
      },
    );
  });

  it('cancel mid-build ends it canceled with no container left', async () => {
    await withServiceLogs(
      () => stack.logs(),
      async () => {
        const sha = await project.commitScript('cancel-me', tickingScript(image, 120, 0.5));
        const { number, id } = (await project.deliverPush('cancel-me', sha)).body.build!;
        await waitForLogLine(project, number, 'ticks', 'tick 2');
        expect(await containersWithLabel('gibbon.build', id)).toHaveLength(1);

        await stack.admin.ok('POST', `${project.repoPath}/builds/${number}/cancel`);
        const build = await waitForEnd(project, number, 20_000);

        expect(build.status).toBe('canceled');
        expect(build.jobs.find((job) => job.id === 'ticks')?.status).toBe('canceled');
        expect(await project.jobLog(number, 'ticks')).not.toContain('ticking done');
        await waitUntil(
          "the canceled build's containers to be removed",
          async () =>
            (await containersWithLabel('gibbon.build', id)).length === 0 ? true : undefined,
          {
            timeoutMs: 10_000,
            describe: async () => JSON.stringify(await containersWithLabel('gibbon.build', id)),
          },
        );
      },
    );
  });

  it('public-api restarted mid-build: the build still ends with its complete log', async () => {
    await withServiceLogs(
      () => stack.logs(),
      async () => {
        const ticks = 16;
        const sha = await project.commitScript('restart', tickingScript(image, ticks, 0.5));
        const { number } = (await project.deliverPush('restart', sha)).body.build!;
        await waitForLogLine(project, number, 'ticks', 'tick 2');

        expect(await stack.api.stop()).toEqual({ code: 0, signal: null });
        await stack.startApi();
        const build = await waitForEnd(project, number);

        expect(build.status).toBe('success');
        // The shell echoes each script line (`+ …`) before running it.
        const expected = [
          `+ for i in $(seq 1 ${ticks}); do echo "tick $i"; sleep 0.5; done`,
          ...Array.from({ length: ticks }, (_, i) => `tick ${i + 1}`),
          '+ echo ticking done',
          'ticking done',
        ];
        const lines = (await project.jobLog(number, 'ticks')).split('\n').filter((line) => line);
        expect(lines).toEqual(expected);
      },
    );
  });
});

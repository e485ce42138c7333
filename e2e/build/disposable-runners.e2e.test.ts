import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Runner } from '@gibbon/contracts';
import { waitForEnd, waitForLogLine } from './harness';
import { tickingScript, trueScript } from './harness/build-scripts';
import { startProjectStack, type ProjectStack } from './harness/project-stack';
import { withServiceLogs } from './harness/with-logs';

// Disposable runners (services/build-runner/README.md, "Disposable runners", "Registering
// itself"): a --once runner runs one build and exits; a runner drained through the API finishes
// its build and claims no new one; a runner started with only a one-time registration token
// registers, runs builds, and after a restart is the same runner.
jest.setTimeout(120_000);

let parts: ProjectStack;

beforeAll(async () => {
  parts = await startProjectStack();
}, 120_000);

afterAll(async () => {
  await parts?.close();
});

it('a --once runner runs one of two queued builds, reports it and exits 0; the other stays queued', async () => {
  const { stack, project, image } = parts;
  await withServiceLogs(
    () => stack.logs(),
    async () => {
      await project.commitScript('once', trueScript(image));
      const first = await project.trigger('once');
      const second = await project.trigger('once');
      const runner = await stack.addRunner('once', {
        env: { GIBBON_RUNNER_ONCE: '1', GIBBON_RUNNER_CAPACITY: '4' },
      });
      expect(await runner.process?.exited).toEqual({ code: 0, signal: null });
      expect((await waitForEnd(project, first.number, 5_000)).status).toBe('success');
      expect((await project.build(second.number)).status).toBe('queued');
      await stack.admin.ok('POST', `${project.repoPath}/builds/${second.number}/cancel`);
    },
  );
});

it('a runner drained through the API finishes its running build and claims no new one', async () => {
  const { stack, project, image } = parts;
  await withServiceLogs(
    () => stack.logs(),
    async () => {
      const runner = await stack.addRunner('drained');
      await project.commitScript('drain', tickingScript(image, 3, 1));
      const running = await project.trigger('drain');
      await waitForLogLine(project, running.number, 'ticks', 'tick 1');
      const { items } = await stack.admin.ok<{ items: Runner[] }>('GET', '/v1/runners');
      const id = items.find((each) => each.name === 'drained')!.id;
      const drained = await stack.admin.ok<Runner>('POST', `/v1/runners/${id}/drain`);
      expect(drained).toMatchObject({ draining: true, runningBuilds: 1 });
      // The runner has a free slot and a claim waiting: a queued build would reach it at once.
      const next = await project.trigger('drain');
      expect((await waitForEnd(project, running.number, 30_000)).status).toBe('success');
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect((await project.build(next.number)).status).toBe('queued');
      expect(runner.process?.running).toBe(true);
    },
  );
});

it('registers itself, runs a build, keeps its token for a restart and spends the token once', async () => {
  const { stack, project, image } = parts;
  await withServiceLogs(
    () => stack.logs(),
    async () => {
      const minted = await stack.admin.ok<{ id: string; token: string }>(
        'POST',
        '/v1/runner-registration-tokens',
        { labels: [{ name: 'pool', value: 'autoscaled' }], description: 'e2e' },
      );
      const runner = await stack.addRunner('selfreg', { registrationToken: minted.token });
      const runners = async () =>
        (await stack.admin.ok<{ items: Runner[] }>('GET', '/v1/runners')).items.filter(
          (each) => each.name === 'selfreg',
        );
      const [registered] = await runners();
      expect(registered).toMatchObject({
        labels: [{ name: 'pool', value: 'autoscaled' }],
        platform: { os: process.platform, arch: process.arch },
      });

      await project.commitScript('main', trueScript(image));
      const built = await project.trigger('main');
      expect((await waitForEnd(project, built.number)).status).toBe('success');

      // The minted runner token is kept, private, in the runner's data folder.
      const dataDir = join(stack.root, 'runner-selfreg');
      expect((await stat(join(dataDir, 'runner-token'))).mode & 0o777).toBe(0o600);
      await runner.process?.stop();
      await runner.start();
      const again = await project.trigger('main');
      expect((await waitForEnd(project, again.number)).status).toBe('success');
      expect((await runners()).map((each) => each.id)).toEqual([registered?.id]);

      const tokens = await stack.admin.ok<{ items: { id: string; usedAt: string | null }[] }>(
        'GET',
        '/v1/runner-registration-tokens',
      );
      expect(tokens.items.find((each) => each.id === minted.id)?.usedAt).not.toBeNull();
    },
  );
});

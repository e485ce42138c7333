import type { Runner } from '@gibbon/contracts';
import { waitForEnd, waitForLogLine } from './harness';
import { tickingScript, trueScript } from './harness/build-scripts';
import { startProjectStack, type ProjectStack } from './harness/project-stack';
import { withServiceLogs } from './harness/with-logs';

// Disposable runners (services/build-runner/README.md, "Disposable runners"): a --once runner
// runs one build and exits; a runner drained through the API finishes its build and claims no
// new one.
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

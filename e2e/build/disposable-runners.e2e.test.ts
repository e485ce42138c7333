import { waitForEnd } from './harness';
import { trueScript } from './harness/build-scripts';
import { startProjectStack, type ProjectStack } from './harness/project-stack';
import { withServiceLogs } from './harness/with-logs';

// Disposable runners (services/build-runner/README.md, "Disposable runners"): a --once runner
// runs one build and exits.
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
    },
  );
});

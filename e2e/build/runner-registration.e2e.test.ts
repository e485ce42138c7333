import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Runner } from '@gibbon/contracts';
import { waitForEnd } from './harness';
import { trueScript } from './harness/build-scripts';
import { startProjectStack, type ProjectStack } from './harness/project-stack';
import { withServiceLogs } from './harness/with-logs';

// A runner started with only a one-time registration token (services/build-runner/README.md,
// "Registering itself"): it registers, runs builds, and after a restart is the same runner.
jest.setTimeout(120_000);

let parts: ProjectStack;

beforeAll(async () => {
  parts = await startProjectStack();
}, 120_000);

afterAll(async () => {
  await parts?.close();
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

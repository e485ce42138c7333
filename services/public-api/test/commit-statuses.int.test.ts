import type { Build, Claim } from '@gibbon/contracts';
import {
  failFirst,
  loadWebhookExamples,
  startRecordingServer,
  type RecordingServer,
} from '@gibbon/test-kit';
import { createCommitStatusNotifier, type CommitStatusNotifier } from '../src/github';
import { createMemoryLogger } from '../src/logger';
import { startAppOn } from './backend-app';
import { backends } from './backends';
import { createBuildWorld, type BuildWorld } from './build-world';
import type { TestApp } from './harness';

// Spec section 5: statuses go to the recording "GitHub" after each stored state, in order.
describe.each(backends)('commit statuses on $name', (backend) => {
  let github: RecordingServer;
  let notifier: CommitStatusNotifier;
  let app: TestApp;
  let world: BuildWorld;
  beforeAll(async () => {
    github = await startRecordingServer();
    notifier = createCommitStatusNotifier({
      githubApiUrl: github.url,
      logger: createMemoryLogger(),
      retry: { initialDelayMs: 20, maxDelayMs: 50 },
    });
    app = await startAppOn(backend, { services: { statusNotifier: notifier } });
    world = await createBuildWorld(app, {
      githubRepo: 'acme/web',
      githubToken: 'ghs_status_token',
    });
  });
  afterAll(async () => {
    await app.close();
    await notifier.close();
    await github.close();
  });

  it('sends pending (queued), pending (running), then the result, for the pushed commit', async () => {
    const commit = '1'.repeat(40);
    github.route(`POST /repos/acme/web/statuses/${commit}`, failFirst(1));
    const [example] = loadWebhookExamples('push');
    const payload = {
      ...example!.payload,
      after: commit,
      deleted: false,
      repository: { ...example!.payload.repository, full_name: 'acme/web' },
    };
    const delivered = await world.deliver({ payload });
    const build = (delivered.body as { build: Build }).build;
    const runner = await world.registerRunner('r');
    const { claim } = (await world.claim(runner)) as { claim: Claim };
    await world.runner(claim, 'POST', '/result', { body: { status: 'failure' } });

    const forCommit = (r: { path: string }) => r.path === `/repos/acme/web/statuses/${commit}`;
    // 1 failed attempt (retried) + 3 statuses.
    const requests = await github.waitForRequests(4, { filter: forCommit, timeoutMs: 5000 });
    const delivered3 = requests.slice(1).map((r) => (r.body as { state: string }).state);
    expect(delivered3).toEqual(['pending', 'pending', 'failure']);
    expect(requests[0]?.body).toEqual(requests[1]?.body);
    for (const request of requests) {
      expect(request.headers.authorization).toMatch(/ghs_status_token/);
      expect(request.body).toMatchObject({
        context: 'gibbon',
        target_url: `http://gibbon.test/orgs/acme/repos/web/builds/${build.number}`,
      });
    }
  });

  it('sends nothing for a repository without a GitHub token', async () => {
    await app.services.repos.update('acme', 'web', { githubToken: null });
    const before = github.requests.length;
    await world.trigger({ commit: '2'.repeat(40) });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(github.requests.length).toBe(before);
  });
});

import type { Build } from '@gibbon/contracts';
import { loadWebhookExamples } from '@gibbon/test-kit';
import { startAppOn } from './backend-app';
import { backends } from './backends';
import { createBuildWorld, type BuildWorld } from './build-world';
import type { TestApp } from './harness';
import { nextSha } from './push-payloads';

const [opened] = loadWebhookExamples('pull_request', { action: 'opened' });
const [closed] = loadWebhookExamples('pull_request', { action: 'closed' });

/** A captured pull_request delivery of `action`, as pull request `number` of the repository. */
function pullRequest(action: 'opened' | 'closed', number: number) {
  const example = action === 'opened' ? opened : closed;
  if (!example) throw new Error(`No pull_request ${action} example.`);
  const { payload } = example;
  const { head, base } = payload.pull_request;
  return {
    ...payload,
    number,
    pull_request: { ...payload.pull_request, head: { ...head, sha: nextSha(), repo: base.repo } },
  };
}

// A closed pull request (merged or not) cancels its builds still queued or running, through
// the real webhook endpoint with signed deliveries, on SQLite and on Postgres.
describe.each(backends)('a closed pull request on $name', (backend) => {
  let app: TestApp;
  let world: BuildWorld;
  beforeAll(async () => {
    app = await startAppOn(backend);
    world = await createBuildWorld(app);
  });
  afterAll(() => app.close());

  async function open(number: number): Promise<Build> {
    const answer = await world.deliver({
      event: 'pull_request',
      payload: pullRequest('opened', number),
    });
    expect(answer.status).toBe(200);
    return (answer.body as { build: Build }).build;
  }

  it('cancels its queued build and asks its running one to stop; other builds run on', async () => {
    const running = await open(5);
    const runner = await world.registerRunner('pr');
    const { claim } = await world.claim(runner);
    expect(claim?.build.number).toBe(running.number);
    const queued = await open(5);
    const other = await open(6);

    const answer = await world.deliver({
      event: 'pull_request',
      payload: pullRequest('closed', 5),
    });
    expect(answer).toMatchObject({
      status: 202,
      body: {
        ignored: true,
        reason: `pull request #5 closed: nothing to build; of its builds canceled #${running.number}, #${queued.number}`,
      },
    });
    expect((await world.getBuild(queued.number)).status).toBe('canceled');
    const stopping = await app.database.db
      .selectFrom('builds')
      .select(['status', 'cancel_requested'])
      .where('id', '=', running.id)
      .executeTakeFirstOrThrow();
    expect({ ...stopping, cancel_requested: Number(stopping.cancel_requested) }).toEqual({
      status: 'running',
      cancel_requested: 1,
    });
    expect((await world.getBuild(other.number)).status).toBe('queued');
  });

  it('says so when none of its builds was left to cancel', async () => {
    const answer = await world.deliver({
      event: 'pull_request',
      payload: pullRequest('closed', 9),
    });
    expect(answer).toMatchObject({
      status: 202,
      body: {
        reason:
          'pull request #9 closed: nothing to build; of its builds none was queued or running',
      },
    });
  });
});

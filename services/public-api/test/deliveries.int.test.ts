import { randomUUID } from 'node:crypto';
import type { DeliveryList } from '@gibbon/contracts';
import { startAppOn } from './backend-app';
import { backends } from './backends';
import { createBuildWorld, type BuildWorld } from './build-world';
import type { TestApp } from './harness';
import { pushTo } from './push-payloads';

// `GET /v1/orgs/{org}/repos/{repo}/deliveries` (services/public-api/README.md, "Deliveries"):
// what came of each signed delivery, on SQLite and on Postgres.
describe.each(backends)('the deliveries of a repository on $name', (backend) => {
  let app: TestApp;
  let world: BuildWorld;
  const deliveriesPath = '/v1/orgs/acme/repos/web/deliveries';
  beforeAll(async () => {
    app = await startAppOn(backend);
    world = await createBuildWorld(app);
    await app.call('PATCH', '/v1/orgs/acme/repos/web', {
      token: app.adminToken,
      body: { triggers: { branches: ['main'] } },
    });
  });
  afterAll(() => app.close());

  async function list(query = ''): Promise<DeliveryList> {
    const answer = await app.call('GET', `${deliveriesPath}${query}`, { token: app.adminToken });
    expect(answer.status).toBe(200);
    return answer.body as DeliveryList;
  }

  it('lists each delivery once, newest first, with its build or the rule that ignored it', async () => {
    const ignoredId = randomUUID();
    await world.deliver({ deliveryId: ignoredId, payload: pushTo('feature/x', ['a.ts']) });
    const builtId = randomUUID();
    const built = await world.deliver({ deliveryId: builtId, payload: pushTo('main', ['a.ts']) });
    const buildNumber = (built.body as { build: { number: number } }).build.number;
    // GitHub's redelivery: the same id again is answered from the record, not recorded twice.
    await world.deliver({ deliveryId: builtId, payload: pushTo('main', ['a.ts']) });

    const page = await list();
    expect(page.nextCursor).toBeNull();
    expect(page.items).toEqual([
      {
        id: builtId,
        webhookId: world.webhookId,
        event: 'push',
        receivedAt: expect.any(String) as string,
        outcome: 'build',
        reason: null,
        build: { id: expect.any(String) as string, number: buildNumber },
      },
      {
        id: ignoredId,
        webhookId: world.webhookId,
        event: 'push',
        receivedAt: expect.any(String) as string,
        outcome: 'ignored',
        reason: 'branch "feature/x" matches none of triggers.branches ["main"]',
        build: null,
      },
    ]);
  });

  it('pages with the cursor, and refuses a cursor it did not give', async () => {
    for (let i = 0; i < 3; i++) await world.deliver({ payload: pushTo(`topic-${i}`, ['b.ts']) });
    const everything = (await list('?limit=100')).items.map((item) => item.id);
    expect(everything).toHaveLength(5);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: DeliveryList = await list(`?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual(everything);
    const bad = await app.call('GET', `${deliveriesPath}?cursor=bm90LWEtY3Vyc29y`, {
      token: app.adminToken,
    });
    expect(bad).toMatchObject({
      status: 400,
      body: { error: { message: 'cursor must be the nextCursor of a previous page.' } },
    });
  });

  it('answers 404 for a repository that does not exist', async () => {
    const answer = await app.call('GET', '/v1/orgs/acme/repos/nope/deliveries', {
      token: app.adminToken,
    });
    expect(answer.status).toBe(404);
  });
});

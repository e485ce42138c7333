import type { Schedule, ScheduleRun } from '@gibbon/contracts';
import { backends } from './backends';
import { createBuildWorld } from './build-world';
import { eventually } from './eventually';
import type { TestApp } from './harness';
import { startTwoInstances, type TwoInstances } from './two-instances';

const postgres = backends.filter((backend) => backend.name === 'postgres');
const schedulesPath = '/v1/orgs/acme/repos/web/schedules';

/**
 * Two public-api instances on one Postgres database (`startTwoInstances`), each with its own
 * scheduler. Both schedulers look at the schedule on every tick, so every tick is raced for.
 */
describe.each(postgres)('one schedule, two public-api instances on $name', (backend) => {
  let instances: TwoInstances;
  let first: TestApp;
  let second: TestApp;
  beforeAll(async () => {
    const scheduler = { scheduler: { maxSleepMs: 100 } };
    instances = await startTwoInstances(backend, { first: scheduler, second: scheduler });
    ({ first, second } = instances);
    await createBuildWorld(first);
  });
  afterAll(() => instances?.close());

  async function runsOf(app: TestApp, schedule: Schedule): Promise<ScheduleRun[]> {
    const answer = await app.call('GET', `${schedulesPath}/${schedule.id}/runs`, {
      token: app.adminToken,
    });
    return (answer.body as { items: ScheduleRun[] }).items;
  }

  const firedLines = (app: TestApp) =>
    app.logLines.filter((line) => line.includes('Schedule tick fired.')).length;

  it('fires each of 5 ticks exactly once: one run and one build per tick', async () => {
    const created = await first.call('POST', schedulesPath, {
      token: first.adminToken,
      body: { cron: '* * * * * *' },
    });
    const schedule = created.body as Schedule;
    await eventually(async () => (await runsOf(second, schedule)).length >= 5, 15_000);
    await second.call('PATCH', `${schedulesPath}/${schedule.id}`, {
      token: first.adminToken,
      body: { enabled: false },
    });
    const runs = (await runsOf(first, schedule)).reverse();
    expect(runs.length).toBeGreaterThanOrEqual(5);
    const ticks = runs.map((run) => Date.parse(run.tickAt));
    // One run per second, none twice, none skipped (each covers only itself).
    expect(ticks.slice(1).map((tick, i) => tick - (ticks[i] ?? 0))).toEqual(
      ticks.slice(1).map(() => 1000),
    );
    expect(runs.every((run) => run.covers === 1 && run.buildNumber !== null)).toBe(true);
    const numbers = runs.map((run) => run.buildNumber);
    expect(new Set(numbers).size).toBe(runs.length);
    const builds = await first.database.db
      .selectFrom('builds')
      .select(['number'])
      .where('source', '=', 'schedule')
      .execute();
    expect(builds.map((build) => build.number).sort()).toEqual([...numbers].sort());
    expect(firedLines(first) + firedLines(second)).toBe(runs.length);
  });
});

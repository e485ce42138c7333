import type { Build, Schedule, ScheduleRun } from '@gibbon/contracts';
import { startAppOn } from './backend-app';
import { backends } from './backends';
import { createBuildWorld, type BuildWorld } from './build-world';
import { eventually } from './eventually';
import type { TestApp } from './harness';

const schedulesPath = '/v1/orgs/acme/repos/web/schedules';

// Cron schedules (services/public-api/README.md, "Schedules") through the real endpoints, with
// the scheduler of the app firing real ticks, on SQLite and on Postgres.
describe.each(backends)('schedules on $name', (backend) => {
  let app: TestApp;
  let world: BuildWorld;
  beforeAll(async () => {
    app = await startAppOn(backend);
    world = await createBuildWorld(app);
  });
  afterAll(() => app.close());

  async function create(body: Record<string, unknown>): Promise<Schedule> {
    const answer = await app.call('POST', schedulesPath, { token: app.adminToken, body });
    expect(answer.status).toBe(201);
    return answer.body as Schedule;
  }

  async function runsOf(schedule: Schedule): Promise<ScheduleRun[]> {
    const answer = await app.call('GET', `${schedulesPath}/${schedule.id}/runs`, {
      token: app.adminToken,
    });
    expect(answer.status).toBe(200);
    return (answer.body as { items: ScheduleRun[] }).items;
  }

  /** Pauses it: its runs stay readable, no further tick builds. */
  async function stop(schedule: Schedule): Promise<void> {
    const answer = await app.call('PATCH', `${schedulesPath}/${schedule.id}`, {
      token: app.adminToken,
      body: { enabled: false },
    });
    expect(answer.status).toBe(200);
  }

  it('refuses a bad cron expression or time zone with a message naming it', async () => {
    const bad = await app.call('POST', schedulesPath, {
      token: app.adminToken,
      body: { cron: '61 * * * *' },
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('cron \\"61 * * * *\\" is not a cron expression');
    const zone = await app.call('POST', schedulesPath, {
      token: app.adminToken,
      body: { cron: '0 3 * * *', timezone: 'Mars/Olympus' },
    });
    expect(zone.status).toBe(400);
    expect(zone.text).toContain('is not an IANA time zone');
  });

  it('shows a schedule with its next run time read in its time zone', async () => {
    const schedule = await create({
      cron: '0 3 * * *',
      timezone: 'Asia/Tokyo',
      description: 'nightly',
    });
    expect(schedule).toMatchObject({
      cron: '0 3 * * *',
      timezone: 'Asia/Tokyo',
      branch: 'main',
      description: 'nightly',
      enabled: true,
      lastRun: null,
      paramNames: [],
    });
    const next = new Date(schedule.nextRunAt ?? '');
    expect(next.getTime()).toBeGreaterThan(Date.now());
    expect(next.getTime() - Date.now()).toBeLessThanOrEqual(24 * 3600 * 1000);
    expect(next.getUTCHours()).toBe(18); // 03:00 in Tokyo (UTC+9, no daylight saving)
    const listed = await app.call('GET', schedulesPath, { token: app.adminToken });
    expect((listed.body as { items: Schedule[] }).items.map((each) => each.id)).toContain(
      schedule.id,
    );
    const paused = await app.call('PATCH', `${schedulesPath}/${schedule.id}`, {
      token: app.adminToken,
      body: { enabled: false },
    });
    expect(paused.body).toMatchObject({ enabled: false, nextRunAt: null });
    const deleted = await app.call('DELETE', `${schedulesPath}/${schedule.id}`, {
      token: app.adminToken,
    });
    expect(deleted.status).toBe(204);
    const gone = await app.call('GET', `${schedulesPath}/${schedule.id}`, {
      token: app.adminToken,
    });
    expect(gone.status).toBe(404);
  });

  it('a tick queues one trusted build of the branch, source schedule, with its parameters', async () => {
    const schedule = await create({
      cron: '* * * * * *',
      branch: 'nightly',
      params: [{ name: 'TARGET', value: 'staging' }],
    });
    expect(schedule.paramNames).toEqual(['TARGET']);
    expect(JSON.stringify(schedule)).not.toContain('staging');
    await eventually(async () => (await runsOf(schedule)).length > 0);
    await stop(schedule);
    const runs = await runsOf(schedule);
    const run = runs[runs.length - 1]; // the first tick's: its build is the oldest queued
    expect(run).toMatchObject({ covers: 1, ignoredReason: null });
    const build = await world.getBuild(run?.buildNumber ?? 0);
    expect(build).toMatchObject({ source: 'schedule', trusted: true, status: 'queued' });
    expect(build.git).toMatchObject({ branch: 'nightly', ref: 'refs/heads/nightly' });
    const { claim } = await world.claim(await world.registerRunner('sched'));
    if (!claim) throw new Error('the scheduled build must be claimable');
    expect(claim.build.id).toBe(build.id);
    const params = await world.runner(claim, 'GET', '/params');
    expect(params.body).toMatchObject({ values: [{ name: 'TARGET', value: 'staging' }] });
  });

  it('a repository whose trigger events leave out schedule records its ticks as ignored', async () => {
    await app.call('PATCH', '/v1/orgs/acme/repos/web', {
      token: app.adminToken,
      body: { triggers: { events: ['push'] } },
    });
    const builds = await world.count('builds');
    const schedule = await create({ cron: '* * * * * *' });
    await eventually(async () => (await runsOf(schedule)).length > 0);
    await stop(schedule);
    const [run] = await runsOf(schedule);
    expect(run).toMatchObject({
      buildNumber: null,
      ignoredReason: 'event kind "schedule" is not in triggers.events ["push"]',
    });
    expect(await world.count('builds')).toBe(builds);
    await app.call('PATCH', '/v1/orgs/acme/repos/web', {
      token: app.adminToken,
      body: { triggers: {} },
    });
  });

  it('after downtime builds once for the latest missed tick, recording how many it covers', async () => {
    const schedule = await create({ cron: '0 * * * *' });
    // The scheduler's pass as it runs five and a half hours from now, after no process ran.
    const later = new Date(Date.now() + 5.5 * 3600 * 1000);
    await app.services.scheduler.pass(later);
    await app.services.scheduler.pass(new Date(later.getTime() + 1000));
    const runs = await runsOf(schedule);
    await stop(schedule);
    expect(runs).toHaveLength(1);
    const latest = new Date(later);
    latest.setUTCMinutes(0, 0, 0);
    expect(runs[0]).toMatchObject({ tickAt: latest.toISOString() });
    expect([5, 6]).toContain(runs[0]?.covers);
    const build: Build = await world.getBuild(runs[0]?.buildNumber ?? 0);
    expect(build.source).toBe('schedule');
  });
});

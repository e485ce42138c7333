import type { Claim } from '@gibbon/contracts';
import { sql } from 'kysely';
import { backends } from './backends';
import { createBuildWorld, nowIso, type BuildWorld } from './build-world';
import { eventually } from './eventually';
import type { TestApp } from './harness';
import { readUntil } from './read-until';
import { startTwoInstances, type TwoInstances } from './two-instances';

const postgres = backends.filter((backend) => backend.name === 'postgres');
/** Longer than any wait here: only a notification can wake a claim in time. */
const recheckMs = 60_000;
/** The second instance's listener retries after this long, so a test can act in the gap. */
const retryMs = 1_500;
const secondListener = 'gibbon-events-second';

/**
 * Two instances on one Postgres database (`startTwoInstances`), each with its own events
 * bridge (its own LISTEN connection and sender id): what happens through the first is seen
 * through the second by LISTEN/NOTIFY (src/events/pg-event-bridge.ts).
 */
describe.each(postgres)('events across two public-api instances on $name', (backend) => {
  let instances: TwoInstances;
  let first: TestApp;
  let second: TestApp;
  let world: BuildWorld;
  let runner: string;
  beforeAll(async () => {
    instances = await startTwoInstances(backend, {
      first: { dispatch: { recheckMs } },
      second: {
        dispatch: { recheckMs },
        eventsListener: { retryMs, applicationName: secondListener },
      },
    });
    ({ first, second } = instances);
    world = await createBuildWorld(first);
    runner = await world.registerRunner('one');
  });
  afterAll(async () => {
    await instances?.close();
  });

  const admin = () => ({ authorization: `Bearer ${first.adminToken}` });
  const chunk = (claim: Claim, jobId: string, seq: number, text: string) =>
    world.runner(claim, 'PUT', `/jobs/${jobId}/logs/${seq}`, {
      rawBody: text,
      headers: { 'content-type': 'text/plain' },
    });
  const follow = (claim: Claim, jobId: string) =>
    fetch(
      `${second.baseUrl}/v1/orgs/acme/repos/web/builds/${claim.build.number}/jobs/${jobId}/logs?follow=true`,
      { headers: admin() },
    );
  const finish = (claim: Claim) =>
    world.runner(claim, 'POST', '/result', { body: { status: 'success' } });
  const endBuild = async (claim: Claim, jobId: string) => {
    await world.runner(claim, 'POST', '/events', {
      body: { type: 'job.ended', jobId, status: 'success', attempts: 1, at: nowIso() },
    });
    await finish(claim);
  };
  const secondListeners = async () => {
    const { rows } = await sql<{ pid: number }>`select pid from pg_stat_activity
      where application_name = ${secondListener} and datname = current_database()`.execute(
      first.database.db,
    );
    return rows.map((row) => row.pid);
  };

  it('a claim waiting on the second instance gets a build queued through the first', async () => {
    const waiting = second.call('POST', '/v1/runner/claim?wait=20', { token: runner, body: {} });
    // The claim has looked at the (empty) queue and sleeps: it has its answer only by a wake.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const build = await world.trigger();
    const triggeredAt = Date.now();
    const answer = await waiting;
    expect(answer.status).toBe(200);
    // Not a speed check: a claim that slept through the wait looks at the queue once more at
    // its end (20 s), so one answered in the first half was woken by the notification.
    expect(Date.now() - triggeredAt).toBeLessThan(10_000);
    expect((answer.body as Claim).build.id).toBe(build.id);
    await finish(answer.body as Claim);
  }, 30_000);

  it('a log followed through the second instance shows a chunk posted through the first', async () => {
    const claim = await world.claimWithJob(runner, 'test');
    await chunk(claim, 'test', 0, 'first line\n');
    const response = await follow(claim, 'test');
    expect(response.status).toBe(200);
    const body = response.body!;
    expect((await readUntil(body, (text) => text.includes('first line'))).ended).toBe(false);
    await chunk(claim, 'test', 1, 'second line\n');
    const { text } = await readUntil(body, (read) => read.includes('second line'));
    expect(text).toBe('second line\n');
    await endBuild(claim, 'test');
    await body.cancel();
  }, 30_000);

  it("the second instance's event stream shows a build status changed through the first", async () => {
    const response = await fetch(`${second.baseUrl}/v1/orgs/acme/events?repo=web`, {
      headers: admin(),
    });
    const body = response.body!;
    await readUntil(body, (text) => text.includes(': connected'));
    const build = await world.trigger();
    const { text } = await readUntil(body, (read) => read.includes(build.id));
    expect(text).toContain('event: build.status');
    expect(text).toContain('"status":"queued"');
    await body.cancel();
    const { claim } = await world.claim(runner);
    await finish(claim!);
  }, 30_000);

  it('after its connection was ended, the second instance catches up and hears again', async () => {
    const claim = await world.claimWithJob(runner, 'gap');
    const response = await follow(claim, 'gap');
    const logBody = response.body!;
    await chunk(claim, 'gap', 0, 'before\n');
    await readUntil(logBody, (text) => text.includes('before'));
    const events = await fetch(`${second.baseUrl}/v1/orgs/acme/events?repo=web`, {
      headers: admin(),
    });
    const eventBody = events.body!;
    await readUntil(eventBody, (text) => text.includes(': connected'));

    const [listener] = await secondListeners();
    await sql`select pg_terminate_backend(${listener})`.execute(first.database.db);
    // Sent while the second instance listens nowhere: its notification is lost, the row is not.
    await chunk(claim, 'gap', 1, 'during the gap\n');
    expect(await secondListeners()).toEqual([]);
    const caughtUp = await readUntil(logBody, (text) => text.includes('during the gap'));
    expect(caughtUp.text).toBe('during the gap\n');

    await eventually(async () => (await secondListeners()).length === 1);
    const build = await world.trigger();
    const { text } = await readUntil(eventBody, (read) => read.includes(build.id));
    expect(text).toContain('"status":"queued"');
    await logBody.cancel();
    await eventBody.cancel();
    await endBuild(claim, 'gap');
    await finish((await world.claim(runner)).claim!);
  }, 30_000);
  // Commit statuses across processes are sent once each: test/status-outbox.int.test.ts.
});

import type { Claim, OrgEvent } from '@gibbon/contracts';
import { startAppOn } from './backend-app';
import { backends } from './backends';
import { createBuildWorld, type BuildWorld } from './build-world';
import type { TestApp } from './harness';
import { readUntil } from './read-until';

const leaseMs = 2000;

/** The JSON of every `data:` line of a server-sent event stream's text. */
function eventsIn(text: string): OrgEvent[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('data: '))
    .map((line) => JSON.parse(line.slice(6)) as OrgEvent);
}

// A build whose runner stops responding is re-queued; the user sees which runner and when,
// in the org's event stream and at the top of the build's _script log. SQLite and Postgres.
describe.each(backends)('a re-queued build on $name', (backend) => {
  let app: TestApp;
  let world: BuildWorld;
  let doomed: string;
  let fresh: string;
  beforeAll(async () => {
    app = await startAppOn(backend, {
      services: { dispatch: { leaseMs, sweepMs: 100, recheckMs: 10_000 } },
    });
    world = await createBuildWorld(app);
    doomed = await world.registerRunner('doomed-1');
    fresh = await world.registerRunner('fresh-1');
  });
  afterAll(() => app.close());

  const put = (claim: Claim, seq: number, text: string) =>
    world.runner(claim, 'PUT', `/jobs/_script/logs/${seq}`, {
      rawBody: text,
      headers: { 'content-type': 'text/plain' },
    });
  const scriptLog = (number: number) =>
    `/v1/orgs/acme/repos/web/builds/${number}/jobs/_script/logs`;
  const admin = () => ({ authorization: `Bearer ${app.adminToken}` });
  /** Heartbeats for `claim` until the returned function is called: the runner that lives. */
  const keepAlive = (claim: Claim) => {
    const timer = setInterval(() => void world.runner(claim, 'POST', '/heartbeat'), leaseMs / 4);
    return () => clearInterval(timer);
  };

  it('says which runner stopped responding when, in an event and in the _script log', async () => {
    const events = await fetch(`${app.baseUrl}/v1/orgs/acme/events?repo=web`, { headers: admin() });
    const build = await world.trigger();
    const first = (await world.claim(doomed)).claim!;
    await put(first, 0, 'first run\n');
    // The doomed runner renews once, then falls silent.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const heartbeat = await world.runner(first, 'POST', '/heartbeat');
    expect(heartbeat.status).toBe(200);
    const renewedUntil = (
      await app.database.db
        .selectFrom('leases')
        .select('expires_at')
        .where('id', '=', first.lease.id)
        .executeTakeFirstOrThrow()
    ).expires_at;
    const stoppedRespondingAt = new Date(Date.parse(renewedUntil) - leaseMs).toISOString();

    const second = (await world.claim(fresh, 10)).claim!;
    const stop = keepAlive(second);
    expect(second.build.id).toBe(build.id);
    const message = `runner doomed-1 stopped responding at ${stoppedRespondingAt}; build re-queued (attempt 2)`;
    // Until the second claim's `running`: the re-queue's events come before it.
    const runningTwice = (text: string) =>
      eventsIn(text).filter(
        (event) =>
          event.type === 'build.status' && event.buildId === build.id && event.status === 'running',
      ).length === 2;
    const seen = await readUntil(events.body!, runningTwice);
    const mine = eventsIn(seen.text).filter((event) => event.buildId === build.id);
    expect(
      mine.map((event) => (event.type === 'build.status' ? event.status : event.type)),
    ).toEqual(['queued', 'running', 'build.requeued', 'queued', 'running']);
    expect(mine.find((event) => event.type === 'build.requeued')).toEqual({
      type: 'build.requeued',
      org: 'acme',
      repo: 'web',
      buildId: build.id,
      number: build.number,
      runner: { id: expect.any(String) as unknown, name: 'doomed-1' },
      stoppedRespondingAt,
      attempt: 2,
      message,
      at: expect.any(String) as unknown,
    });
    await events.body!.cancel();

    // The first run's lines are gone from the log (its index started over); the note stays.
    await put(second, 0, 'second run\n');
    const log = await app.call('GET', scriptLog(build.number), { token: app.adminToken });
    expect(log.text).toBe(`${message}\nsecond run\n`);
    stop();
    const result = await world.runner(second, 'POST', '/result', { body: { status: 'success' } });
    expect(result.status).toBe(200);
    const after = await app.call('GET', scriptLog(build.number), { token: app.adminToken });
    expect(after.text).toBe(`${message}\nsecond run\n`);
  });

  it('a follower of _script sees the first run, the note, then the second run from its start', async () => {
    const build = await world.trigger();
    const first = (await world.claim(doomed)).claim!;
    await put(first, 0, 'first run, line 1\n');
    await put(first, 1, 'first run, line 2\n');
    const follow = await fetch(`${app.baseUrl}${scriptLog(build.number)}?follow=true`, {
      headers: admin(),
    });
    const body = follow.body!;
    expect((await readUntil(body, (text) => text.includes('line 2\n'))).text).toBe(
      'first run, line 1\nfirst run, line 2\n',
    );
    const second = (await world.claim(fresh, 10)).claim!;
    const stop = keepAlive(second);
    expect(second.build.id).toBe(build.id);
    await put(second, 0, 'second run, line 1\n');
    const seen = await readUntil(body, (text) => text.includes('second run, line 1\n'));
    expect(seen.text).toMatch(
      /^runner doomed-1 stopped responding at \S+; build re-queued \(attempt 2\)\nsecond run, line 1\n$/,
    );
    stop();
    const result = await world.runner(second, 'POST', '/result', { body: { status: 'success' } });
    expect(result.status).toBe(200);
    expect(await readUntil(body, () => false)).toEqual({ text: '', ended: true });
  });
});

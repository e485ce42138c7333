import type { Build, Claim, HeartbeatAnswer } from '@gibbon/contracts';
import { startAppOn } from './backend-app';
import { backends } from './backends';
import { createBuildWorld, nowIso, type BuildWorld } from './build-world';
import type { TestApp } from './harness';

const leaseMs = 2000;

// A job marked approval: true waits in `waiting` until a person with an admin or org admin
// token approves or rejects it; the decision (who, when, why) is shown on the job, reaches the
// runner through its heartbeat, and survives a re-queue. SQLite and Postgres.
describe.each(backends)('job approvals on $name', (backend) => {
  let app: TestApp;
  let world: BuildWorld;
  let runner: string;
  let releaseManager: string;
  let reader: string;
  beforeAll(async () => {
    app = await startAppOn(backend, {
      services: { dispatch: { leaseMs, sweepMs: 100, recheckMs: 10_000 } },
    });
    world = await createBuildWorld(app);
    runner = await world.registerRunner('approvals-1');
    releaseManager = (
      await app.services.tokens.createOrgToken('acme', { name: 'release-manager', role: 'admin' })
    ).secret;
    reader = (await app.services.tokens.createOrgToken('acme', { name: 'watcher', role: 'read' }))
      .secret;
  });
  afterAll(() => app.close());

  const decide = (
    build: Build,
    jobId: string,
    action: 'approve' | 'reject',
    token: string,
    body?: unknown,
  ) =>
    app.call('POST', `/v1/orgs/acme/repos/web/builds/${build.number}/jobs/${jobId}/${action}`, {
      token,
      ...(body !== undefined && { body }),
    });
  const event = (claim: Claim, body: Record<string, unknown>) =>
    world.runner(claim, 'POST', '/events', { body: { at: nowIso(), ...body } });
  const heartbeat = async (claim: Claim) =>
    (await world.runner(claim, 'POST', '/heartbeat')).body as HeartbeatAnswer;
  const jobOf = async (build: Build, jobId: string) =>
    (await world.getBuild(build.number)).jobs.find((job) => job.id === jobId)!;

  /** A claimed build with a job `deploy` that waits for approval and a job `test` still pending. */
  async function waitingBuild(): Promise<{ build: Build; claim: Claim }> {
    const build = await world.trigger();
    const claim = (await world.claim(runner)).claim!;
    expect(claim.build.id).toBe(build.id);
    for (const jobId of ['test', 'deploy']) {
      await event(claim, { type: 'job.pending', jobId, kind: 'container', dependsOn: [] });
    }
    expect((await event(claim, { type: 'job.waiting', jobId: 'deploy' })).status).toBe(204);
    return { build, claim };
  }

  it('shows the waiting job, records who approved it and when, and tells the runner', async () => {
    const { build, claim } = await waitingBuild();
    expect(await jobOf(build, 'deploy')).toMatchObject({
      status: 'waiting',
      approval: { decision: 'pending' },
    });
    expect((await jobOf(build, 'test')).approval).toBeUndefined();
    expect((await heartbeat(claim)).approvals).toBeUndefined();

    const forbidden = await decide(build, 'deploy', 'approve', reader);
    expect(forbidden.status).toBe(403);

    const before = nowIso();
    const approved = await decide(build, 'deploy', 'approve', releaseManager, {
      comment: 'Ship it',
    });
    expect(approved.status).toBe(200);
    const approval = (approved.body as Build).jobs.find((job) => job.id === 'deploy')!.approval!;
    expect(approval).toEqual({
      decision: 'approved',
      by: 'release-manager',
      at: expect.any(String) as unknown,
      comment: 'Ship it',
    });
    expect(approval.at! >= before).toBe(true);
    expect((await heartbeat(claim)).approvals).toEqual([
      {
        jobId: 'deploy',
        decision: 'approved',
        by: 'release-manager',
        at: approval.at,
        comment: 'Ship it',
      },
    ]);

    const again = await decide(build, 'deploy', 'reject', app.adminToken);
    expect(again.status).toBe(409);
    expect(again.text).toContain(`already approved by release-manager at ${approval.at}`);
    await world.runner(claim, 'POST', '/result', { body: { status: 'success' } });
  });

  it('refuses a job that does not wait, an unknown job and a finished build', async () => {
    const { build, claim } = await waitingBuild();
    const notWaiting = await decide(build, 'test', 'approve', app.adminToken);
    expect(notWaiting.status).toBe(409);
    expect(notWaiting.text).toContain('is not waiting for approval (it is pending)');
    expect((await decide(build, 'nope', 'approve', app.adminToken)).status).toBe(404);
    await world.runner(claim, 'POST', '/result', { body: { status: 'canceled' } });
    const finished = await decide(build, 'deploy', 'approve', app.adminToken);
    expect(finished.status).toBe(409);
    expect(finished.text).toContain('already finished (canceled)');
    expect(await jobOf(build, 'deploy')).toMatchObject({
      status: 'canceled',
      approval: { decision: 'pending' },
    });
  });

  it('a rejection carries its comment to the runner', async () => {
    const { build, claim } = await waitingBuild();
    const rejected = await decide(build, 'deploy', 'reject', app.adminToken, {
      comment: 'Not on a Friday',
    });
    expect(rejected.status).toBe(200);
    expect((await heartbeat(claim)).approvals).toEqual([
      expect.objectContaining({
        jobId: 'deploy',
        decision: 'rejected',
        by: 'admin',
        comment: 'Not on a Friday',
      }),
    ]);
    await world.runner(claim, 'POST', '/result', { body: { status: 'success' } });
  });

  it('keeps the decision when the build is re-queued after its runner stopped responding', async () => {
    const { build, claim } = await waitingBuild();
    expect((await decide(build, 'deploy', 'approve', app.adminToken)).status).toBe(200);
    // The runner falls silent; the sweeper re-queues the build and another claim takes it.
    const second = (await world.claim(await world.registerRunner('approvals-2'), 10)).claim!;
    expect(second.build.id).toBe(build.id);
    expect(second.lease.id).not.toBe(claim.lease.id);
    await event(second, { type: 'job.pending', jobId: 'deploy', kind: 'container', dependsOn: [] });
    await event(second, { type: 'job.waiting', jobId: 'deploy' });
    expect(await jobOf(build, 'deploy')).toMatchObject({
      status: 'waiting',
      approval: { decision: 'approved', by: 'admin' },
    });
    expect((await heartbeat(second)).approvals).toEqual([
      expect.objectContaining({ jobId: 'deploy', decision: 'approved' }),
    ]);
    await world.runner(second, 'POST', '/result', { body: { status: 'success' } });
  });
});

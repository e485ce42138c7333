import type { AuditEntry, AuditList, Build } from '@gibbon/contracts';
import { startAppOn } from './backend-app';
import { backends } from './backends';
import { createBuildWorld, nowIso, type BuildWorld } from './build-world';
import type { TestApp } from './harness';

interface Actor {
  readonly token: string;
  readonly id: string;
  readonly kind: AuditEntry['actor']['kind'];
  readonly name: string;
}

// Every change a person makes through the API leaves one audit row naming the token; an org's
// log is read by the admin and that org's admins only. SQLite and Postgres.
describe.each(backends)('the audit log on $name', (backend) => {
  let app: TestApp;
  let world: BuildWorld;
  let orgAdmin: Actor;
  let admin: Actor;
  let otherAdmin: string;
  let reader: string;
  beforeAll(async () => {
    app = await startAppOn(backend);
    world = await createBuildWorld(app);
    await app.services.orgs.create({ slug: 'other' });
    const made = await app.services.tokens.createOrgToken('acme', { name: 'ops', role: 'admin' });
    orgAdmin = { token: made.secret, id: made.id, kind: 'org-admin', name: 'ops' };
    otherAdmin = (await app.services.tokens.createOrgToken('other', { name: 'o', role: 'admin' }))
      .secret;
    reader = (await app.services.tokens.createOrgToken('acme', { name: 'r', role: 'read' })).secret;
    const principal = await app.services.auth.authenticate(app.adminToken);
    const adminId = principal.kind === 'admin' ? principal.tokenId : '';
    admin = { token: app.adminToken, id: adminId, kind: 'admin', name: 'admin' };
  });
  afterAll(() => app.close());

  const read = async (path: string, token = app.adminToken) => {
    const answer = await app.call('GET', path, { token });
    expect(answer.status).toBe(200);
    return answer.body as AuditList;
  };
  async function latest(path: string): Promise<AuditEntry | undefined> {
    return (await read(`${path}?limit=1`)).items[0];
  }

  /** Makes one change and expects exactly one new row for it, by `actor`, on the object. */
  async function expectAudited(
    actor: Actor,
    change: () => Promise<{ status: number }>,
    expected: Readonly<Record<string, unknown>>,
  ): Promise<AuditEntry> {
    const before = (await read('/v1/audit?limit=100')).items.length;
    expect((await change()).status).toBeLessThan(300);
    const items = (await read('/v1/audit?limit=100')).items;
    expect(items).toHaveLength(before + 1);
    expect(items[0]).toMatchObject({
      actor: { kind: actor.kind, id: actor.id, name: actor.name },
      ...expected,
    });
    return items[0]!;
  }
  const call = (actor: Actor, method: string, path: string, body?: unknown) =>
    app.call(method, path, { token: actor.token, ...(body !== undefined && { body }) });

  it('records repositories, webhooks, parameter sets and tokens, never a value', async () => {
    const repos = '/v1/orgs/acme/repos';
    const object = { type: 'repo', id: 'acme/api' };
    await expectAudited(
      orgAdmin,
      () => call(orgAdmin, 'POST', repos, { name: 'api', url: 'https://git.example.test/api.git' }),
      { action: 'repo.created', org: 'acme', object },
    );
    const updated = await expectAudited(
      orgAdmin,
      () =>
        call(orgAdmin, 'PATCH', `${repos}/api`, {
          mainBranch: 'dev',
          githubToken: 'ghp_secret-value',
        }),
      { action: 'repo.updated', object, detail: { fields: ['githubToken', 'mainBranch'] } },
    );
    expect(JSON.stringify(updated)).not.toContain('ghp_secret-value');
    const hook = await call(orgAdmin, 'POST', `${repos}/api/webhooks`);
    const hookId = (hook.body as { id: string }).id;
    const rows = (await read('/v1/orgs/acme/audit?limit=1')).items;
    expect(rows[0]).toMatchObject({
      action: 'webhook.created',
      object: { type: 'webhook', id: hookId },
    });
    await expectAudited(orgAdmin, () => call(orgAdmin, 'DELETE', `${repos}/api`), {
      action: 'repo.deleted',
      object,
    });

    const params = '/v1/orgs/acme/params';
    const value = 'hunter2-param-value';
    let setId = '';
    const created = await expectAudited(
      orgAdmin,
      async () => {
        const answer = await call(orgAdmin, 'POST', params, {
          values: [{ name: 'NPM_TOKEN', value }],
        });
        setId = (answer.body as { id: string }).id;
        return answer;
      },
      { action: 'params.created' },
    );
    expect(created.object).toEqual({ type: 'param_set', id: setId });
    await expectAudited(
      orgAdmin,
      () => call(orgAdmin, 'PUT', `${params}/${setId}`, { values: [{ name: 'NPM_TOKEN', value }] }),
      { action: 'params.updated', detail: { fields: ['values'] } },
    );
    await expectAudited(orgAdmin, () => call(orgAdmin, 'DELETE', `${params}/${setId}`), {
      action: 'params.deleted',
      object: { type: 'param_set', id: setId },
    });

    let tokenId = '';
    await expectAudited(
      orgAdmin,
      async () => {
        const answer = await call(orgAdmin, 'POST', '/v1/orgs/acme/tokens', {
          name: 'ci',
          role: 'read',
        });
        tokenId = (answer.body as { id: string }).id;
        return answer;
      },
      { action: 'token.created', detail: { name: 'ci', role: 'read' } },
    );
    await expectAudited(
      orgAdmin,
      () => call(orgAdmin, 'DELETE', `/v1/orgs/acme/tokens/${tokenId}`),
      { action: 'token.deleted', object: { type: 'token', id: tokenId } },
    );
    expect(JSON.stringify(await read('/v1/audit?limit=100'))).not.toContain(value);
  });

  it('records runners outside any org, in the admin log only', async () => {
    let runnerId = '';
    await expectAudited(
      admin,
      async () => {
        const answer = await call(admin, 'POST', '/v1/runners', { name: 'r1' });
        runnerId = (answer.body as { id: string }).id;
        return answer;
      },
      { action: 'runner.created', org: null, detail: { name: 'r1' } },
    );
    await expectAudited(admin, () => call(admin, 'DELETE', `/v1/runners/${runnerId}`), {
      action: 'runner.deleted',
      object: { type: 'runner', id: runnerId },
    });
    const acme = (await read('/v1/orgs/acme/audit?limit=100')).items;
    expect(acme.some((entry) => entry.object.type === 'runner')).toBe(false);
  });

  it('records canceled and retried builds and approved and rejected jobs', async () => {
    const builds = '/v1/orgs/acme/repos/web/builds';
    const build = await world.trigger();
    const id = `acme/web#${build.number}`;
    await expectAudited(
      orgAdmin,
      () => call(orgAdmin, 'POST', `${builds}/${build.number}/cancel`),
      { action: 'build.canceled', object: { type: 'build', id } },
    );
    let retried = 0;
    await expectAudited(
      orgAdmin,
      async () => {
        const answer = await call(orgAdmin, 'POST', `${builds}/${build.number}/retry`);
        retried = (answer.body as Build).number;
        return answer;
      },
      { action: 'build.retried', object: { type: 'build', id } },
    );
    expect((await latest('/v1/orgs/acme/audit'))?.detail).toEqual({
      build: retried,
      failedOnly: false,
    });

    const runner = await world.registerRunner('approvals');
    const claim = (await world.claim(runner)).claim!;
    const event = (body: Record<string, unknown>) =>
      world.runner(claim, 'POST', '/events', { body: { at: nowIso(), ...body } });
    for (const jobId of ['deploy', 'publish']) {
      await event({ type: 'job.pending', jobId, kind: 'container', dependsOn: [] });
      await event({ type: 'job.waiting', jobId });
    }
    const jobs = `${builds}/${claim.build.number}/jobs`;
    const job = (jobId: string) => ({ type: 'job', id: `acme/web#${claim.build.number}/${jobId}` });
    await expectAudited(
      orgAdmin,
      () => call(orgAdmin, 'POST', `${jobs}/deploy/approve`, { comment: 'ship it' }),
      { action: 'job.approved', object: job('deploy'), detail: { comment: 'ship it' } },
    );
    await expectAudited(admin, () => call(admin, 'POST', `${jobs}/publish/reject`), {
      action: 'job.rejected',
      object: job('publish'),
      detail: null,
    });
    await world.runner(claim, 'POST', '/result', { body: { status: 'canceled' } });
  });

  it('is read by the admin and the org’s admins only', async () => {
    expect((await app.call('GET', '/v1/orgs/acme/audit', { token: otherAdmin })).status).toBe(403);
    expect((await app.call('GET', '/v1/orgs/acme/audit', { token: reader })).status).toBe(403);
    expect((await app.call('GET', '/v1/audit', { token: orgAdmin.token })).status).toBe(403);
    expect((await app.call('GET', '/v1/orgs/acme/audit')).status).toBe(401);
    expect((await read('/v1/orgs/other/audit', otherAdmin)).items).toEqual([]);
    const mine = (await read('/v1/orgs/acme/audit?limit=100', orgAdmin.token)).items;
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((entry) => entry.org === 'acme')).toBe(true);
    expect(
      (await app.call('GET', '/v1/orgs/nowhere/audit', { token: app.adminToken })).status,
    ).toBe(404);
  });

  it('pages newest first with nextCursor, each entry once', async () => {
    const all = (await read('/v1/orgs/acme/audit?limit=100')).items;
    expect(all.length).toBeGreaterThan(5);
    const times = all.map((entry) => entry.at);
    expect([...times].sort().reverse()).toEqual(times);
    const paged: AuditEntry[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? '' : `&cursor=${cursor}`;
      const page = await read(`/v1/orgs/acme/audit?limit=2${query}`);
      expect(page.items.length).toBeLessThanOrEqual(2);
      paged.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(paged.map((entry) => entry.id)).toEqual(all.map((entry) => entry.id));
    const bad = await app.call('GET', '/v1/orgs/acme/audit?cursor=bm9wZQ', {
      token: app.adminToken,
    });
    expect(bad.status).toBe(400);
  });
});

import { startTestApp, type TestApp } from './harness';

// The HTTP app end to end over loopback, with every answer validated against the document.
describe('public-api over HTTP', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());
  const admin = () => app.adminToken;

  it('answers /healthz and serves its OpenAPI document without a token', async () => {
    expect(await app.call('GET', '/healthz')).toMatchObject({
      status: 200,
      body: { status: 'ok' },
    });
    const doc = await app.call('GET', '/v1/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body).toMatchObject({
      openapi: '3.1.0',
    });
  });

  it('creates, lists and gets orgs', async () => {
    const created = await app.call('POST', '/v1/orgs', {
      token: admin(),
      body: { slug: 'acme', name: 'Acme' },
    });
    expect(created).toMatchObject({ status: 201, body: { slug: 'acme', name: 'Acme' } });
    expect(
      await app.call('POST', '/v1/orgs', { token: admin(), body: { slug: 'acme' } }),
    ).toMatchObject({
      status: 409,
      body: { error: { code: 'conflict' } },
    });
    expect((await app.call('GET', '/v1/orgs', { token: admin() })).body).toEqual({
      items: [created.body],
    });
    expect(await app.call('GET', '/v1/orgs/acme', { token: admin() })).toMatchObject({
      status: 200,
    });
    expect(await app.call('GET', '/v1/orgs/nope', { token: admin() })).toMatchObject({
      status: 404,
    });
  });

  it('manages repositories; the GitHub token is write-only', async () => {
    const body = {
      name: 'web',
      url: 'https://git.example.test/acme/web.git',
      labels: [{ name: 'team', value: 'web' }],
      githubRepo: 'acme/web',
      githubToken: 'ghp_write_only_value',
    };
    const created = await app.call('POST', '/v1/orgs/acme/repos', { token: admin(), body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'web',
      mainBranch: 'main',
      hasGithubToken: true,
      githubRepo: 'acme/web',
    });
    expect(created.text).not.toContain('ghp_write_only_value');
    const patched = await app.call('PATCH', '/v1/orgs/acme/repos/web', {
      token: admin(),
      body: { githubToken: null, mainBranch: 'trunk' },
    });
    expect(patched.body).toMatchObject({ hasGithubToken: false, mainBranch: 'trunk' });
    const list = await app.call('GET', '/v1/orgs/acme/repos', { token: admin() });
    expect(list.body).toEqual({ items: [patched.body] });
    expect(await app.call('DELETE', '/v1/orgs/acme/repos/web', { token: admin() })).toMatchObject({
      status: 204,
    });
    expect(await app.call('GET', '/v1/orgs/acme/repos/web', { token: admin() })).toMatchObject({
      status: 404,
    });
  });

  it('manages parameter sets; reads never return values', async () => {
    const created = await app.call('POST', '/v1/orgs/acme/params', {
      token: admin(),
      body: {
        description: 'npm',
        labelFilters: [[{ name: 'team', value: 'web' }]],
        values: [{ name: 'NPM_TOKEN', value: 'npm-value-1' }],
      },
    });
    expect(created).toMatchObject({
      status: 201,
      body: { names: ['NPM_TOKEN'], labelFilters: [[{ name: 'team', value: 'web' }]] },
    });
    const id = (created.body as { id: string }).id;
    for (const answer of [
      created,
      await app.call('GET', `/v1/orgs/acme/params/${id}`, { token: admin() }),
      await app.call('GET', '/v1/orgs/acme/params', { token: admin() }),
    ]) {
      expect(answer.text).not.toContain('npm-value-1');
    }
    const put = await app.call('PUT', `/v1/orgs/acme/params/${id}`, {
      token: admin(),
      body: { description: 'renamed' },
    });
    expect(put.body).toMatchObject({
      description: 'renamed',
      names: ['NPM_TOKEN'],
      labelFilters: [],
    });
    const repo = await app.services.repos.create('acme', {
      name: 'app',
      url: 'https://git.example.test/app.git',
    });
    await expect(app.services.params.resolveParams(repo)).resolves.toEqual({
      NPM_TOKEN: 'npm-value-1',
    });
    expect(
      await app.call('DELETE', `/v1/orgs/acme/params/${id}`, { token: admin() }),
    ).toMatchObject({ status: 204 });
    await expect(app.services.params.resolveParams(repo)).resolves.toEqual({});
  });

  it('org tokens: shown once, scoped to their org, read tokens only GET', async () => {
    await app.call('POST', '/v1/orgs', { token: admin(), body: { slug: 'other' } });
    const created = await app.call('POST', '/v1/orgs/acme/tokens', {
      token: admin(),
      body: { name: 'ci', role: 'read' },
    });
    expect(created.status).toBe(201);
    const { secret, id } = created.body as { secret: string; id: string };
    expect(secret).toMatch(/^gbn_org_/);
    expect((await app.call('GET', '/v1/orgs/acme/tokens', { token: admin() })).text).not.toContain(
      secret,
    );
    expect(await app.call('GET', '/v1/orgs/acme/repos', { token: secret })).toMatchObject({
      status: 200,
    });
    expect((await app.call('GET', '/v1/orgs', { token: secret })).body).toEqual({
      items: [expect.objectContaining({ slug: 'acme' })],
    });
    expect(await app.call('GET', '/v1/orgs/other/repos', { token: secret })).toMatchObject({
      status: 403,
      body: { error: { code: 'not_allowed' } },
    });
    expect(
      await app.call('POST', '/v1/orgs/acme/repos', {
        token: secret,
        body: { name: 'x', url: 'https://git.example.test/x.git' },
      }),
    ).toMatchObject({ status: 403 });
    expect(
      await app.call('DELETE', `/v1/orgs/acme/tokens/${id}`, { token: admin() }),
    ).toMatchObject({ status: 204 });
    expect(await app.call('GET', '/v1/orgs/acme/repos', { token: secret })).toMatchObject({
      status: 401,
      body: { error: { code: 'unauthenticated' } },
    });
  });

  it('records when an org token was last used', async () => {
    const created = await app.call('POST', '/v1/orgs/acme/tokens', {
      token: admin(),
      body: { name: 'seen', role: 'read' },
    });
    const { secret, id } = created.body as { secret: string; id: string };
    expect((created.body as { lastUsedAt: unknown }).lastUsedAt).toBeNull();
    await app.call('GET', '/v1/orgs/acme', { token: secret });
    for (let attempt = 0; attempt < 50; attempt++) {
      const tokens = (await app.call('GET', '/v1/orgs/acme/tokens', { token: admin() })).body as {
        items: { id: string; lastUsedAt: string | null }[];
      };
      const used = tokens.items.find((token) => token.id === id)?.lastUsedAt;
      if (used) return expect(Date.parse(used)).toBeGreaterThan(Date.now() - 60_000);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('lastUsedAt was never set.');
  });

  it('org admin tokens may change their org but not create orgs or runners', async () => {
    const { secret } = (
      await app.call('POST', '/v1/orgs/acme/tokens', {
        token: admin(),
        body: { name: 'ops', role: 'admin' },
      })
    ).body as { secret: string };
    expect(
      await app.call('POST', '/v1/orgs/acme/repos', {
        token: secret,
        body: { name: 'svc', url: 'https://git.example.test/svc.git' },
      }),
    ).toMatchObject({ status: 201 });
    expect(
      await app.call('POST', '/v1/orgs', { token: secret, body: { slug: 'mine' } }),
    ).toMatchObject({ status: 403 });
    expect(await app.call('GET', '/v1/runners', { token: secret })).toMatchObject({ status: 403 });
  });

  it('registers runners (admin only); the runner token only reaches the runner API', async () => {
    const created = await app.call('POST', '/v1/runners', {
      token: admin(),
      body: { name: 'r1', labels: [{ name: 'arch', value: 'x64' }] },
    });
    expect(created).toMatchObject({
      status: 201,
      body: { name: 'r1', lastSeenAt: null },
    });
    const { token, id } = created.body as { token: string; id: string };
    expect(token).toMatch(/^gbn_runner_/);
    const list = await app.call('GET', '/v1/runners', { token: admin() });
    expect(list.body).toEqual({ items: [expect.objectContaining({ id, name: 'r1' })] });
    expect(list.text).not.toContain(token);
    expect(await app.call('GET', '/v1/orgs', { token })).toMatchObject({ status: 403 });
    expect(await app.call('DELETE', `/v1/runners/${id}`, { token: admin() })).toMatchObject({
      status: 204,
    });
    expect(await app.call('DELETE', `/v1/runners/${id}`, { token: admin() })).toMatchObject({
      status: 404,
    });
  });

  it('logs one JSON line per request with the route template, never a token or secret', async () => {
    const answer = await app.call('POST', '/v1/orgs/acme/params', {
      token: admin(),
      body: { values: [{ name: 'LOGGED', value: 'value-not-in-logs' }] },
    });
    const lines = app.logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'debug',
        message: 'request',
        requestId: answer.headers.get('x-request-id'),
        method: 'POST',
        route: '/v1/orgs/{org}/params',
        status: 201,
      }),
    );
    const all = app.logLines.join('');
    expect(all).not.toContain(app.adminToken);
    expect(all).not.toContain('value-not-in-logs');
    expect(all).not.toContain('gbn_');
  });

  it("answers a request id: a proxy's plain X-Request-Id kept, anything else replaced by a UUID", async () => {
    const kept = await app.call('GET', '/v1/orgs', {
      token: admin(),
      headers: { 'x-request-id': 'edge-7f3a.1' },
    });
    expect(kept.headers.get('x-request-id')).toBe('edge-7f3a.1');
    const lines = () => app.logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines()).toContainEqual(
      expect.objectContaining({ message: 'request', requestId: 'edge-7f3a.1', route: '/v1/orgs' }),
    );
    const replaced = await app.call('GET', '/v1/orgs', {
      token: admin(),
      headers: { 'x-request-id': 'two words; and "quotes"' },
    });
    expect(replaced.headers.get('x-request-id')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
  });
});

import { backends, type OpenedBackend } from './backends';
import { startTestApp, type CallOptions, type TestApp } from './harness';
import { SessionsService, sessionLifetimeMs } from '../src/sessions';
import { createStore } from '../src/store';

// Signing in to the web page: a session cookie standing for an API token, CSRF on every call
// that changes something, sign-out and token deletion ending it. On both databases.
describe.each(backends)('web sessions on $name', (backend) => {
  let opened: OpenedBackend;
  let app: TestApp;
  beforeAll(async () => {
    opened = await backend.open();
    app = await startTestApp({ database: opened.database });
    await app.call('POST', '/v1/orgs', { token: app.adminToken, body: { slug: 'acme' } });
    await app.call('POST', '/v1/orgs', { token: app.adminToken, body: { slug: 'other' } });
  });
  afterAll(async () => {
    await app?.close();
    await opened?.cleanup();
  });

  async function signIn(token: string) {
    const answer = await app.call('POST', '/v1/session', { body: { token } });
    const setCookie = answer.headers.get('set-cookie') ?? '';
    const cookie = setCookie.split(';')[0]!;
    const { csrfToken } = answer.body as { csrfToken: string };
    return { answer, setCookie, cookie, csrfToken };
  }

  const withCookie = (cookie: string, more: CallOptions = {}): CallOptions => ({
    ...more,
    headers: { cookie, ...more.headers },
  });

  it('signs in with the admin token for an HttpOnly, SameSite=Strict, expiring cookie', async () => {
    const { answer, setCookie, cookie } = await signIn(app.adminToken);
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ principal: { kind: 'admin' } });
    expect(typeof (answer.body as { csrfToken: unknown }).csrfToken).toBe('string');
    expect(setCookie).toMatch(
      /^gibbon_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/,
    );
    // The token itself appears nowhere in the answer.
    expect(answer.text + setCookie).not.toContain(app.adminToken);
    expect(await app.call('GET', '/v1/orgs', withCookie(cookie))).toMatchObject({ status: 200 });
  });

  it('refuses a call that changes something without the session CSRF token', async () => {
    const { cookie, csrfToken } = await signIn(app.adminToken);
    const create = { body: { slug: 'made-by-page' } };
    const none = await app.call('POST', '/v1/orgs', withCookie(cookie, create));
    expect(none).toMatchObject({ status: 403, body: { error: { code: 'not_allowed' } } });
    expect((none.body as { error: { message: string } }).error.message).toContain('x-csrf-token');
    const wrong = withCookie(cookie, { ...create, headers: { 'x-csrf-token': 'x'.repeat(32) } });
    expect(await app.call('POST', '/v1/orgs', wrong)).toMatchObject({ status: 403 });
    const right = withCookie(cookie, { ...create, headers: { 'x-csrf-token': csrfToken } });
    expect(await app.call('POST', '/v1/orgs', right)).toMatchObject({ status: 201 });
    const session = await app.call('GET', '/v1/session', withCookie(cookie));
    expect(session.body).toMatchObject({ principal: { kind: 'admin' }, csrfToken });
  });

  it('keeps an org read token to its org and to reading', async () => {
    const created = await app.call('POST', '/v1/orgs/acme/tokens', {
      token: app.adminToken,
      body: { name: 'viewer', role: 'read' },
    });
    const { secret, id } = created.body as { secret: string; id: string };
    const { answer, cookie, csrfToken } = await signIn(secret);
    expect(answer.body).toMatchObject({ principal: { kind: 'org', org: 'acme', role: 'read' } });
    expect(await app.call('GET', '/v1/orgs/acme/repos', withCookie(cookie))).toMatchObject({
      status: 200,
    });
    expect(await app.call('GET', '/v1/orgs/other/repos', withCookie(cookie))).toMatchObject({
      status: 403,
    });
    const write = withCookie(cookie, {
      body: { name: 'x', url: 'https://github.com/acme/x.git' },
      headers: { 'x-csrf-token': csrfToken },
    });
    expect(await app.call('POST', '/v1/orgs/acme/repos', write)).toMatchObject({ status: 403 });
    // Deleting the token ends every session made from it.
    await app.call('DELETE', `/v1/orgs/acme/tokens/${id}`, { token: app.adminToken });
    const after = await app.call('GET', '/v1/orgs/acme/repos', withCookie(cookie));
    expect(after).toMatchObject({ status: 401 });
    expect((after.body as { error: { message: string } }).error.message).toContain('sign in again');
  });

  it('refuses runner tokens and unknown tokens', async () => {
    const runner = await app.call('POST', '/v1/runners', {
      token: app.adminToken,
      body: { name: 'r1' },
    });
    const { answer } = await signIn((runner.body as { token: string }).token);
    expect(answer).toMatchObject({ status: 403 });
    expect(answer.headers.get('set-cookie')).toBeNull();
    expect((await signIn('gbn_admin_' + 'a'.repeat(43))).answer).toMatchObject({ status: 401 });
  });

  it('keeps a session secret and a bearer token apart', async () => {
    const { cookie } = await signIn(app.adminToken);
    const secret = cookie.slice('gibbon_session='.length);
    // The cookie's secret is no token, and a session cannot be opened with one either.
    expect(await app.call('GET', '/v1/orgs', { token: secret })).toMatchObject({ status: 401 });
    expect((await signIn(secret)).answer).toMatchObject({ status: 401 });
    const asCookie = { headers: { cookie: `gibbon_session=${app.adminToken}` } };
    expect(await app.call('GET', '/v1/orgs', asCookie)).toMatchObject({ status: 401 });
  });

  it('signs out on the server: the old cookie no longer works', async () => {
    const { cookie, csrfToken } = await signIn(app.adminToken);
    const out = await app.call(
      'DELETE',
      '/v1/session',
      withCookie(cookie, { headers: { 'x-csrf-token': csrfToken } }),
    );
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^gibbon_session=; .*Max-Age=0/);
    expect(await app.call('GET', '/v1/orgs', withCookie(cookie))).toMatchObject({ status: 401 });
  });

  it('ends a session when its lifetime is over', async () => {
    let now = Date.now();
    const sessions = new SessionsService(
      createStore(opened.database).webSessions,
      app.services.auth,
      () => now,
    );
    const { secret } = await sessions.signIn(app.adminToken);
    await expect(sessions.open(secret)).resolves.toMatchObject({ principal: { kind: 'admin' } });
    now += sessionLifetimeMs + 1;
    await expect(sessions.open(secret)).rejects.toThrow('sign in again');
  });
});

import { randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { signJwt } from '../src/auth/jwt';
import { buildTokenProfile } from '../src/auth/auth.service';
import { startTestApp, type CallOptions, type TestApp } from './harness';

// Spec section 10 / issue "Bad input": every case gets the right 4xx with the error shape,
// and changes nothing (the whole visible state is compared before and after).
describe('bad input', () => {
  let app: TestApp;
  let runnerToken: string;
  let otherOrgToken: string;
  let readToken: string;
  let paramSetId: string;

  beforeAll(async () => {
    app = await startTestApp();
    await app.services.orgs.create({ slug: 'acme' });
    await app.services.orgs.create({ slug: 'other' });
    await app.services.repos.create('acme', {
      name: 'web',
      url: 'https://git.example.test/web.git',
    });
    paramSetId = (
      await app.services.params.create('acme', { values: [{ name: 'KEPT', value: 'v' }] })
    ).id;
    runnerToken = (await app.services.runners.register({ name: 'r' })).token;
    otherOrgToken = (
      await app.services.tokens.createOrgToken('other', { name: 'o', role: 'admin' })
    ).secret;
    readToken = (await app.services.tokens.createOrgToken('acme', { name: 'r', role: 'read' }))
      .secret;
  });
  afterAll(() => app.close());

  /** Everything a caller could have changed, read through the services. */
  async function state(): Promise<string> {
    const s = app.services;
    const orgs = await s.orgs.list();
    const perOrg = await Promise.all(
      orgs.map(async (org) => ({
        repos: await s.repos.list(org.slug),
        params: await s.params.list(org.slug),
        tokens: await s.tokens.list(org.slug),
      })),
    );
    const web = await s.repos.get('acme', 'web');
    // lastUsedAt/lastSeenAt record that a valid token was presented, even on a refused call.
    const withoutUse = (key: string, value: unknown) =>
      key === 'lastUsedAt' || key === 'lastSeenAt' ? undefined : value;
    return JSON.stringify(
      {
        orgs,
        perOrg,
        runners: await s.runners.list(),
        resolved: await s.params.resolveParams(web),
      },
      withoutUse,
    );
  }

  async function expectRefused(
    method: string,
    path: string,
    options: CallOptions,
    status: number,
    code: string,
  ): Promise<void> {
    const before = await state();
    const answer = await app.call(method, path, options);
    expect({ status: answer.status, body: answer.body }).toEqual({
      status,
      body: { error: { code, message: expect.any(String) as unknown } },
    });
    expect(await state()).toBe(before);
  }

  const admin = () => ({ token: app.adminToken });
  const repoBody = { name: 'new', url: 'https://git.example.test/new.git' };

  describe('malformed bodies', () => {
    it('malformed JSON → 400', () =>
      expectRefused(
        'POST',
        '/v1/orgs',
        { ...admin(), rawBody: '{"slug": "x",' },
        400,
        'invalid_input',
      ));
    it('wrong types → 400', () =>
      expectRefused('POST', '/v1/orgs', { ...admin(), body: { slug: 42 } }, 400, 'invalid_input'));
    it('labels that are not string pairs → 400', () =>
      expectRefused(
        'POST',
        '/v1/orgs/acme/repos',
        { ...admin(), body: { ...repoBody, labels: [{ name: 'a', value: 1 }] } },
        400,
        'invalid_input',
      ));
    it('unknown fields → 400', () =>
      expectRefused(
        'POST',
        '/v1/orgs',
        { ...admin(), body: { slug: 'x', owner: 'me' } },
        400,
        'invalid_input',
      ));
    it('a missing required field → 400', () =>
      expectRefused(
        'POST',
        '/v1/orgs/acme/repos',
        { ...admin(), body: { name: 'new' } },
        400,
        'invalid_input',
      ));
    it('an empty PATCH → 400', () =>
      expectRefused(
        'PATCH',
        '/v1/orgs/acme/repos/web',
        { ...admin(), body: {} },
        400,
        'invalid_input',
      ));
    it('a body over 1 MiB → 413', () =>
      expectRefused(
        'POST',
        '/v1/orgs',
        { ...admin(), body: { slug: 'big', name: 'x'.repeat(1024 * 1024) } },
        413,
        'payload_too_large',
      ));
    it('an unknown query parameter → 400', () =>
      expectRefused('GET', '/v1/orgs?debug=1', admin(), 400, 'invalid_input'));
  });

  describe('hostile slugs and names', () => {
    const hostile = [
      'a/b',
      '..',
      'a..b',
      'x\u0000y',
      'x\ny',
      '\u001b[31mred',
      'UPPER',
      '-x',
      'x'.repeat(65),
    ];
    it.each(hostile)('org slug %j → 400', (slug) =>
      expectRefused('POST', '/v1/orgs', { ...admin(), body: { slug } }, 400, 'invalid_input'),
    );
    it.each(hostile)('repository name %j → 400', (name) =>
      expectRefused(
        'POST',
        '/v1/orgs/acme/repos',
        { ...admin(), body: { ...repoBody, name } },
        400,
        'invalid_input',
      ),
    );
    it.each(['a%2Fb', 'a%00b', 'a%0Ab', '%1B%5B31m'])('org %s in the path → 400', (slug) =>
      expectRefused('GET', `/v1/orgs/${slug}/repos`, admin(), 400, 'invalid_input'),
    );
    it.each(['A/B', '..', 'X\u0000', 'X\nY', '\u001b[0m'])('parameter name %j → 400', (name) =>
      expectRefused(
        'POST',
        '/v1/orgs/acme/params',
        { ...admin(), body: { values: [{ name, value: 'v' }] } },
        400,
        'invalid_input',
      ),
    );
    it.each([
      'file:///etc/passwd',
      'ext::sh -c id',
      'https://user:secret@git.example.test/x.git',
      'ssh://git@x/y.git',
    ])('clone URL %j → 400', (url) =>
      expectRefused(
        'POST',
        '/v1/orgs/acme/repos',
        { ...admin(), body: { ...repoBody, url } },
        400,
        'invalid_input',
      ),
    );
  });

  // Server-side request forgery: the runner would fetch any URL stored here.
  describe('clone URLs off the allowed git hosts', () => {
    const forbidden = [
      'http://169.254.169.254/latest/meta-data/',
      'http://[fd00:ec2::254]/latest/meta-data/',
      'http://localhost:8080/x.git',
      'http://[::1]/x.git',
      'http://10.0.0.5/x.git',
      'http://0xa9fea9fe/latest/meta-data/',
      'https://git.example.test.evil.test/x.git',
    ];
    it.each(forbidden)('POST with %s → 400 naming GIBBON_GIT_HOSTS', async (url) => {
      await expectRefused(
        'POST',
        '/v1/orgs/acme/repos',
        { ...admin(), body: { ...repoBody, url } },
        400,
        'invalid_input',
      );
      const answer = await app.call('POST', '/v1/orgs/acme/repos', {
        ...admin(),
        body: { ...repoBody, url },
      });
      const host = new URL(url).host;
      expect((answer.body as { error: { message: string } }).error.message).toBe(
        `The clone URL's host ${host} is not an allowed git host. An operator can allow it by adding ${host} to GIBBON_GIT_HOSTS (or to GIBBON_GIT_INTERNAL_HOSTS for a forge on their own network) of public-api and every build-runner.`,
      );
    });
    it.each(forbidden)('PATCH to %s → 400, the stored URL unchanged', (url) =>
      expectRefused(
        'PATCH',
        '/v1/orgs/acme/repos/web',
        { ...admin(), body: { url } },
        400,
        'invalid_input',
      ),
    );
  });

  describe('parameter sets', () => {
    it('a value over 64 KiB → 400', () =>
      expectRefused(
        'POST',
        '/v1/orgs/acme/params',
        { ...admin(), body: { values: [{ name: 'BIG', value: 'x'.repeat(64 * 1024 + 1) }] } },
        400,
        'invalid_input',
      ));
    it('a multi-byte value over 64 KiB of UTF-8 → 400', () =>
      expectRefused(
        'POST',
        '/v1/orgs/acme/params',
        { ...admin(), body: { values: [{ name: 'BIG', value: 'é'.repeat(40 * 1024) }] } },
        400,
        'invalid_input',
      ));
    it('label filters that are not a list of label groups → 400', async () => {
      const flat = { labelFilters: [{ name: 'team', value: 'web' }], values: [] };
      await expectRefused(
        'POST',
        '/v1/orgs/acme/params',
        { ...admin(), body: flat },
        400,
        'invalid_input',
      );
      const emptyGroup = { labelFilters: [[]], values: [] };
      await expectRefused(
        'POST',
        '/v1/orgs/acme/params',
        { ...admin(), body: emptyGroup },
        400,
        'invalid_input',
      );
    });
    it('duplicate names in a set → 400', () =>
      expectRefused(
        'POST',
        '/v1/orgs/acme/params',
        {
          ...admin(),
          body: {
            values: [
              { name: 'A', value: '1' },
              { name: 'A', value: '2' },
            ],
          },
        },
        400,
        'invalid_input',
      ));
    it('duplicate names on replace → 400, old values kept', () =>
      expectRefused(
        'PUT',
        `/v1/orgs/acme/params/${paramSetId}`,
        {
          ...admin(),
          body: {
            values: [
              { name: 'A', value: '1' },
              { name: 'A', value: '2' },
            ],
          },
        },
        400,
        'invalid_input',
      ));
  });

  describe('tokens', () => {
    it('no token → 401', () =>
      expectRefused('POST', '/v1/orgs', { body: { slug: 'x' } }, 401, 'unauthenticated'));
    it('a malformed Authorization header → 401', () =>
      expectRefused(
        'POST',
        '/v1/orgs',
        { headers: { authorization: `Token ${app.adminToken}` }, body: { slug: 'x' } },
        401,
        'unauthenticated',
      ));
    it('an unknown token → 401', () =>
      expectRefused(
        'POST',
        '/v1/orgs',
        { token: `gbn_admin_${randomBytes(32).toString('base64url')}`, body: { slug: 'x' } },
        401,
        'unauthenticated',
      ));
    it('a runner token on an admin route → 403', () =>
      expectRefused(
        'POST',
        '/v1/orgs',
        { token: runnerToken, body: { slug: 'x' } },
        403,
        'not_allowed',
      ));
    it("another org's token → 403", () =>
      expectRefused(
        'POST',
        '/v1/orgs/acme/repos',
        { token: otherOrgToken, body: repoBody },
        403,
        'not_allowed',
      ));
    it("another org's token on a GET → 403", () =>
      expectRefused('GET', '/v1/orgs/acme/params', { token: otherOrgToken }, 403, 'not_allowed'));
    it('a read token on a write → 403', () =>
      expectRefused(
        'DELETE',
        `/v1/orgs/acme/params/${paramSetId}`,
        { token: readToken },
        403,
        'not_allowed',
      ));
    it('a valid build JWT on an org route → 403', async () => {
      const ring = await app.services.signingKeys.ring('build');
      await expectRefused(
        'GET',
        '/v1/orgs',
        { token: signJwt(ring, buildTokenProfile, 'b1', 60) },
        403,
        'not_allowed',
      );
    });
    it('an expired JWT → 401', async () => {
      const ring = await app.services.signingKeys.ring('build');
      const expired = jwt.sign(
        { typ: 'build', exp: Math.floor(Date.now() / 1000) - 120 },
        ring.current.secret,
        {
          algorithm: 'HS256',
          keyid: ring.current.kid,
          subject: 'b1',
          issuer: buildTokenProfile.issuer,
          audience: buildTokenProfile.audience,
        },
      );
      await expectRefused('GET', '/v1/orgs', { token: expired }, 401, 'unauthenticated');
    });
    it('an alg: none JWT → 401', async () => {
      const ring = await app.services.signingKeys.ring('build');
      const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const claims = {
        typ: 'build',
        sub: 'b1',
        iss: buildTokenProfile.issuer,
        aud: buildTokenProfile.audience,
        exp: Math.floor(Date.now() / 1000) + 600,
      };
      const unsigned = `${part({ alg: 'none', typ: 'JWT', kid: ring.current.kid })}.${part(claims)}.`;
      await expectRefused('GET', '/v1/orgs', { token: unsigned }, 401, 'unauthenticated');
    });
    it('a JWT signed with another key → 401', async () => {
      const ring = await app.services.signingKeys.ring('build');
      const forged = signJwt(
        { current: { kid: ring.current.kid, secret: randomBytes(32) }, verifying: new Map() },
        buildTokenProfile,
        'b1',
        60,
      );
      await expectRefused('GET', '/v1/orgs', { token: forged }, 401, 'unauthenticated');
    });
    it('a JWT of another type → 401', async () => {
      const ring = await app.services.signingKeys.ring('build');
      const script = signJwt(ring, { ...buildTokenProfile, typ: 'script' }, 'b1', 60);
      await expectRefused('GET', '/v1/orgs', { token: script }, 401, 'unauthenticated');
    });
  });

  describe('routing', () => {
    it('an undocumented path → 404', () =>
      expectRefused('GET', '/v1/nothing-here', admin(), 404, 'not_found'));
    it('an undocumented method → 405', () =>
      expectRefused('PUT', '/v1/orgs', { ...admin(), body: {} }, 405, 'not_found'));
    it('an unknown parameter set → 404', () =>
      expectRefused('GET', '/v1/orgs/acme/params/ps_missing', admin(), 404, 'not_found'));
  });
});

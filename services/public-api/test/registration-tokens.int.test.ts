import type {
  AuditList,
  RegisteredRunner,
  RegistrationTokenCreated,
  RegistrationTokenList,
  RunnerList,
} from '@gibbon/contracts';
import { startAppOn } from './backend-app';
import { backends } from './backends';
import type { TestApp } from './harness';

const platform = { os: 'linux', arch: 'x64' };

// One-time runner registration tokens (spec section 6, "Registering runners"), on SQLite and
// on Postgres.
describe.each(backends)('runner registration tokens on $name', (backend) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startAppOn(backend);
  });
  afterAll(() => app.close());

  async function mint(body: object = {}): Promise<RegistrationTokenCreated> {
    const answer = await app.call('POST', '/v1/runner-registration-tokens', {
      token: app.adminToken,
      body,
    });
    expect(answer.status).toBe(201);
    return answer.body as RegistrationTokenCreated;
  }

  const register = (token: string, name = 'self-made', from = platform) =>
    app.call('POST', '/v1/runner/register', { token, body: { name, platform: from } });

  it('registers one runner with the token’s labels, whose own token then claims', async () => {
    const labels = [{ name: 'gpu', value: 'a100' }];
    const minted = await mint({ labels, description: 'instance i-1' });
    expect(minted.token).toMatch(/^gbn_registration_/);
    const listed = await app.call('GET', '/v1/runner-registration-tokens', {
      token: app.adminToken,
    });
    const row = (listed.body as RegistrationTokenList).items.find((t) => t.id === minted.id);
    expect(row).toMatchObject({ labels, description: 'instance i-1', usedAt: null });
    expect(listed.text).not.toContain(minted.token);

    const first = await register(minted.token, 'i-1');
    expect(first.status).toBe(201);
    const runner = first.body as RegisteredRunner;
    expect(runner).toMatchObject({ name: 'i-1', labels });
    const claim = await app.call('POST', '/v1/runner/claim?wait=0', { token: runner.token });
    expect(claim.status).toBe(204);
    const runners = await app.call('GET', '/v1/runners', { token: app.adminToken });
    expect((runners.body as RunnerList).items.find((r) => r.id === runner.id)).toMatchObject({
      labels,
      platform,
    });

    const again = await register(minted.token, 'i-1-again');
    expect(again.status).toBe(401);
    expect(again.text).toContain('This registration token was already used');
    const audit = await app.call('GET', '/v1/audit?limit=10', { token: app.adminToken });
    const actions = (audit.body as AuditList).items.map((entry) => entry.action);
    expect(actions).toEqual(
      expect.arrayContaining(['runner.registration_token.created', 'runner.registered']),
    );
  });

  it('refuses an expired token and a revoked one, saying which', async () => {
    const expired = await mint();
    await app.database.db
      .updateTable('runner_registration_tokens')
      .set({ expires_at: '2020-01-01T00:00:00.000Z' })
      .where('id', '=', expired.id)
      .execute();
    const late = await register(expired.token);
    expect(late.status).toBe(401);
    expect(late.text).toContain('This registration token expired at 2020-01-01T00:00:00.000Z');

    const revoked = await mint();
    const path = `/v1/runner-registration-tokens/${revoked.id}`;
    expect((await app.call('DELETE', path, { token: app.adminToken })).status).toBe(204);
    const refused = await register(revoked.token);
    expect(refused.status).toBe(401);
    expect(refused.text).toContain('This registration token was revoked at');
    expect((await app.call('DELETE', path, { token: app.adminToken })).status).toBe(404);
    expect((await register('gbn_registration_' + 'x'.repeat(43))).status).toBe(401);
  });

  it('refuses a platform the token’s arch label denies, and leaves the token unused', async () => {
    const minted = await mint({ labels: [{ name: 'arch', value: 'arm64' }] });
    const wrong = await register(minted.token, 'wrong', { os: 'linux', arch: 'x64' });
    expect(wrong.status).toBe(409);
    const right = await register(minted.token, 'right', { os: 'linux', arch: 'arm64' });
    expect(right.status).toBe(201);
  });

  it('of five registrations racing with one token exactly one succeeds', async () => {
    const minted = await mint();
    const answers = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => register(minted.token, `racer-${n}`)),
    );
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([201, 401, 401, 401, 401]);
    const runners = (await app.call('GET', '/v1/runners', { token: app.adminToken }))
      .body as RunnerList;
    expect(runners.items.filter((r) => r.name.startsWith('racer-'))).toHaveLength(1);
  });

  it('accepts a registration token nowhere else, and only an admin mints one', async () => {
    const minted = await mint();
    const claim = await app.call('POST', '/v1/runner/claim?wait=0', { token: minted.token });
    expect(claim.status).toBe(403);
    const runnerToken = ((await register(minted.token)).body as RegisteredRunner).token;
    const byRunner = await app.call('POST', '/v1/runner-registration-tokens', {
      token: runnerToken,
      body: {},
    });
    expect(byRunner.status).toBe(403);
    const tooLong = await app.call('POST', '/v1/runner-registration-tokens', {
      token: app.adminToken,
      body: { expiresInSeconds: 8 * 24 * 3600 },
    });
    expect(tooLong.status).toBe(400);
  });
});

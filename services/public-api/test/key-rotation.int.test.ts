import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Claim, KeyStatus, MasterKeyRotation, SigningKeyRotation } from '@gibbon/contracts';
import { keyIdOf, signJwt, verifyJwt } from '../src/auth/jwt';
import { parseMasterKey } from '../src/crypto/master-key';
import { MasterKeyRing, masterKeyIdOf } from '../src/crypto/master-key-ring';
import { masterKeyFromEnvironment, openMasterKeyFile } from '../src/crypto/master-key-stores';
import type { GibbonDatabase } from '../src/db/database';
import { SigningKeysRepository } from '../src/keys/signing-keys.repository';
import { buildTokenProfile } from '../src/auth/auth.service';
import { SigningKeysService } from '../src/keys/signing-keys.service';
import { backends, type OpenedBackend } from './backends';
import { createBuildWorld } from './build-world';
import { startTestApp, type TestApp } from './harness';

// Key rotation as an admin runs it: over the API, while builds hold tokens and secrets are
// stored, on both back ends; restarts prove what is on disk and in the database, not caches.
describe.each(backends)('key rotation on $name', (backend) => {
  let opened: OpenedBackend;
  let dataDir: string;
  const apps: TestApp[] = [];
  const databases: GibbonDatabase[] = [];

  beforeEach(async () => {
    opened = await backend.open();
    dataDir = await mkdtemp(join(tmpdir(), 'gibbon-rotation-'));
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    for (const database of databases.splice(0)) await database.close();
    await opened.cleanup();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** One public-api process over the shared database: its own pool and its own key ring. */
  async function startProcess(masterKey: MasterKeyRing | Buffer, adminToken?: string) {
    const database = await opened.reopen();
    databases.push(database);
    const app = await startTestApp({ database, masterKey, adminToken });
    apps.push(app);
    return app;
  }

  const fileKeys = async () => MasterKeyRing.open(await openMasterKeyFile(dataDir));
  const envKeys = (current: Buffer, previous: Buffer[] = []) =>
    MasterKeyRing.open(masterKeyFromEnvironment(current, previous));

  function admin<T>(app: TestApp, method: string, path: string, body?: unknown) {
    return app.call(method, path, { token: app.adminToken, body }).then((answer) => {
      if (answer.status !== 200) throw new Error(`${method} ${path}: ${answer.text}`);
      return answer.body as T;
    });
  }

  /** acme/web with a parameter set holding `canary`, and a claimed build with a trigger parameter. */
  async function seed(app: TestApp) {
    const world = await createBuildWorld(app);
    const canary = `canary-${randomBytes(6).toString('hex')}`;
    await app.call('POST', '/v1/orgs/acme/params', {
      token: app.adminToken,
      body: { values: [{ name: 'NPM_TOKEN', value: canary }] },
    });
    const runnerToken = await world.registerRunner('r1');
    await world.trigger({ branch: 'main', params: [{ name: 'ONLY_THIS_BUILD', value: 'x-1' }] });
    const { claim } = await world.claim(runnerToken);
    if (!claim) throw new Error('the triggered build must be claimable');
    return { world, canary, runnerToken, claim };
  }

  async function paramsSeenBy(app: TestApp, claim: Claim) {
    const answer = await runnerCall(app, claim, 'GET', '/params');
    expect(answer.status).toBe(200);
    return (answer.body as { values: { name: string; value: string }[] }).values;
  }

  async function storedWrappedKeys(app: TestApp) {
    const { db } = app.database;
    const data = await db
      .selectFrom('data_keys')
      .select(['org', 'wrapped_key', 'master_key_id'])
      .execute();
    const signing = await db
      .selectFrom('signing_keys')
      .select(['kid', 'wrapped_secret', 'master_key_id'])
      .orderBy('kid')
      .execute();
    return { data, signing };
  }

  it('a build token issued before a signing key rotation stays valid; a retired or unknown key is refused', async () => {
    const app = await startProcess(await fileKeys());
    const { world, runnerToken, claim: before } = await seed(app);
    const oldKid = keyIdOf(before.buildToken);

    const rotated = await admin<SigningKeyRotation>(app, 'POST', '/v1/admin/keys/signing/rotate');
    expect(rotated.kid).not.toBe(oldKid);
    expect(rotated.signingKeys.map(({ kid, signs }) => [kid, signs])).toEqual([
      [rotated.kid, true],
      [oldKid, false],
    ]);
    const retiresIn = Date.parse(rotated.signingKeys[1]?.retiresAt ?? '') - Date.now();
    // The longest token lifetime (build timeout, 3 h) plus the refresh and clock margins.
    expect(retiresIn).toBeGreaterThan(3 * 60 * 60 * 1000);
    expect(retiresIn).toBeLessThan(3 * 60 * 60 * 1000 + 60_000);

    expect((await world.runner(before, 'POST', '/heartbeat')).status).toBe(200);
    await world.trigger();
    const { claim: after } = await world.claim(runnerToken);
    expect(keyIdOf(after!.buildToken)).toBe(rotated.kid);
    expect((await world.runner(after!, 'POST', '/heartbeat')).status).toBe(200);

    const forged = signJwt(
      {
        current: { kid: 'key_000000000000000000000000', secret: randomBytes(32) },
        verifying: new Map(),
      },
      buildTokenProfile,
      before.build.id,
      600,
    );
    const refused = await world.runner({ ...before, buildToken: forged }, 'POST', '/heartbeat');
    expect(refused.status).toBe(401);
    expect(refused.text).toContain('unknown signing key');

    // After a leak: the previous keys stop verifying at once.
    const urgent = await app.call('POST', '/v1/admin/keys/signing/rotate', {
      token: app.adminToken,
      body: { retireOthersNow: true },
    });
    expect(urgent.status).toBe(200);
    for (const claim of [before, after!]) {
      const answer = await world.runner(claim, 'POST', '/heartbeat');
      expect(answer.status).toBe(401);
      expect(answer.text).toContain('unknown signing key');
    }
    const status = await admin<KeyStatus>(app, 'GET', '/v1/admin/keys');
    expect(status.signingKeys.map((key) => key.kid)).toEqual([
      (urgent.body as SigningKeyRotation).kid,
    ]);
  });

  it('only the admin token may see or rotate keys', async () => {
    const app = await startProcess(await fileKeys());
    await app.services.orgs.create({ slug: 'acme' });
    const org = await app.services.tokens.createOrgToken('acme', { name: 't', role: 'admin' });
    for (const [method, path] of [
      ['GET', '/v1/admin/keys'],
      ['POST', '/v1/admin/keys/signing/rotate'],
      ['POST', '/v1/admin/keys/master/rotate'],
    ] as const) {
      expect((await app.call(method, path, { token: org.secret })).status).toBe(403);
      expect((await app.call(method, path)).status).toBe(401);
    }
    expect((await readdir(dataDir)).filter((name) => name.startsWith('master.key'))).toEqual([
      'master.key',
    ]);
  });

  it('a previous signing key verifies until the longest token lifetime has passed, then no more', async () => {
    const app = await startProcess(await fileKeys());
    let clock = Date.now();
    const keys = new SigningKeysService(
      new SigningKeysRepository(app.database.db),
      app.services.masterKeys,
      {
        tokenLifetimeSeconds: 600,
        now: () => clock,
      },
    );
    // Signed for an hour of real time: only the key's retirement can refuse it.
    const token = signJwt(await keys.ring('build'), buildTokenProfile, 'build-1', 3600);
    await keys.rotate('build');
    const verify = async () =>
      verifyJwt(await keys.ringFor('build', keyIdOf(token)), buildTokenProfile, token).sub;

    expect(await verify()).toBe('build-1');
    clock += keys.retireAfterMs - 1_000;
    expect(await verify()).toBe('build-1');
    clock += 2_000;
    await expect(verify()).rejects.toThrow('The token is not valid: unknown signing key.');
  });

  it('master key file: stored secrets read back the same, every wrapped key changes, the old key file is gone', async () => {
    const app = await startProcess(await fileKeys());
    const { canary, claim } = await seed(app);
    const oldKey = parseMasterKey(await readFile(join(dataDir, 'master.key'), 'utf8'), 'old');
    const oldId = masterKeyIdOf(oldKey);
    const before = await storedWrappedKeys(app);
    expect(before.data.map((row) => row.master_key_id)).toEqual([oldId]);
    expect((await admin<KeyStatus>(app, 'GET', '/v1/admin/keys')).masterKey).toEqual({
      keyId: oldId,
      source: 'file',
      heldKeyIds: [oldId],
      wrapped: [{ masterKeyId: oldId, dataKeys: 1, signingKeys: 1 }],
    });

    const rotation = await admin<MasterKeyRotation>(app, 'POST', '/v1/admin/keys/master/rotate');
    expect(rotation.keyId).toMatch(/^mk_[0-9a-f]{16}$/);
    expect(rotation).toEqual({
      keyId: rotation.keyId,
      source: 'file',
      retiredKeyIds: [oldId],
      rewrapped: { dataKeys: 1, signingKeys: 1 },
    });
    expect(rotation.keyId).not.toBe(oldId);

    const after = await storedWrappedKeys(app);
    expect(after.data).toHaveLength(1);
    expect(after.data[0]?.wrapped_key).not.toBe(before.data[0]?.wrapped_key);
    expect(after.signing[0]?.wrapped_secret).not.toBe(before.signing[0]?.wrapped_secret);
    expect([...after.data, ...after.signing].map((row) => row.master_key_id)).toEqual([
      rotation.keyId,
      rotation.keyId,
    ]);
    const newKey = parseMasterKey(await readFile(join(dataDir, 'master.key'), 'utf8'), 'new');
    expect(masterKeyIdOf(newKey)).toBe(rotation.keyId);
    expect((await readdir(dataDir)).filter((name) => name.startsWith('master.key'))).toEqual([
      'master.key',
    ]);
    expect(await paramsSeenBy(app, claim)).toEqual(
      expect.arrayContaining([
        { name: 'NPM_TOKEN', value: canary },
        { name: 'ONLY_THIS_BUILD', value: 'x-1' },
      ]),
    );

    // A restart has only the new key file: every secret and the old build token still work.
    await app.close();
    apps.splice(apps.indexOf(app), 1);
    const restarted = await startProcess(await fileKeys(), app.adminToken);
    await expect(restarted.services.masterKeys.prepare()).resolves.toEqual([]);
    expect(await paramsSeenBy(restarted, claim)).toEqual(
      expect.arrayContaining([
        { name: 'NPM_TOKEN', value: canary },
        { name: 'ONLY_THIS_BUILD', value: 'x-1' },
      ]),
    );
    expect((await runnerCall(restarted, claim, 'POST', '/heartbeat')).status).toBe(200);

    // The old key alone opens nothing any more: a start with it refuses, naming the key it needs.
    const stale = await startProcess(oldKey, app.adminToken);
    await expect(stale.services.masterKeys.prepare()).rejects.toThrow(
      `A stored key is wrapped by master key ${rotation.keyId}, which this process does not hold (it holds ${oldId})`,
    );
  });

  it('GIBBON_MASTER_KEY: refused without a previous key; with GIBBON_MASTER_KEY_PREVIOUS every key moves to the new one', async () => {
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const first = await startProcess(await envKeys(oldKey));
    const { canary, claim } = await seed(first);
    const refused = await first.call('POST', '/v1/admin/keys/master/rotate', {
      token: first.adminToken,
    });
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({
      error: {
        code: 'conflict',
        message: `The master key comes from GIBBON_MASTER_KEY (${masterKeyIdOf(oldKey)}), so the service cannot make a new one itself: move the current key to GIBBON_MASTER_KEY_PREVIOUS, set GIBBON_MASTER_KEY to a new key (openssl rand -base64 32), restart public-api, and rotate again.`,
      },
    });
    const token = first.adminToken;
    await first.close();
    apps.splice(apps.indexOf(first), 1);

    // Restarted with the new key and the old one as previous: keys stay under the old key
    // (so processes not yet restarted keep working) until the rotation.
    const second = await startProcess(await envKeys(newKey, [oldKey]), token);
    const notes = await second.services.masterKeys.prepare();
    expect(notes).toEqual([
      expect.stringContaining(`stored keys stay wrapped by ${masterKeyIdOf(oldKey)} until`),
    ]);
    await second.call('POST', '/v1/orgs', { token, body: { slug: 'beta' } });
    expect((await admin<KeyStatus>(second, 'GET', '/v1/admin/keys')).masterKey.wrapped).toEqual([
      { masterKeyId: masterKeyIdOf(oldKey), dataKeys: 2, signingKeys: 1 },
    ]);
    const rotation = await admin<MasterKeyRotation>(second, 'POST', '/v1/admin/keys/master/rotate');
    expect(rotation).toEqual({
      keyId: masterKeyIdOf(newKey),
      source: 'env',
      retiredKeyIds: [masterKeyIdOf(oldKey)],
      rewrapped: { dataKeys: 2, signingKeys: 1 },
    });
    // Again is harmless: nothing is left under the previous key.
    expect(
      await admin<MasterKeyRotation>(second, 'POST', '/v1/admin/keys/master/rotate'),
    ).toMatchObject({
      rewrapped: { dataKeys: 0, signingKeys: 0 },
    });
    await second.close();
    apps.splice(apps.indexOf(second), 1);

    // GIBBON_MASTER_KEY_PREVIOUS removed: the new key alone opens everything.
    const third = await startProcess(await envKeys(newKey), token);
    await expect(third.services.masterKeys.prepare()).resolves.toEqual([]);
    expect(await paramsSeenBy(third, claim)).toContainEqual({ name: 'NPM_TOKEN', value: canary });
  });

  it('keys stay readable while another process rotates, and keys wrapped meanwhile are carried over', async () => {
    const rotating = await startProcess(await fileKeys());
    const other = await startProcess(await fileKeys(), rotating.adminToken);
    const tokenOf = (org: string) => `ghp_${org}_${'x'.repeat(20)}`;
    const createOrg = async (app: TestApp, org: string) => {
      await app.services.orgs.create({ slug: org });
      await app.services.repos.create(org, {
        name: 'r',
        url: 'https://git.example.test/r.git',
        githubToken: tokenOf(org),
      });
    };
    const readBack = async (app: TestApp, org: string) =>
      app.services.repos.githubTokenOf(await app.services.repos.get(org, 'r'));
    const early = ['e1', 'e2', 'e3', 'e4', 'e5'];
    for (const org of early) await createOrg(rotating, org);

    const meanwhile = ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8'];
    const [rotation, reads] = await Promise.all([
      admin<MasterKeyRotation>(rotating, 'POST', '/v1/admin/keys/master/rotate'),
      (async () => {
        const seen: (string | null)[] = [];
        for (const [index, org] of meanwhile.entries()) {
          await createOrg(other, org);
          seen.push(await readBack(other, early[index % early.length]!));
        }
        return seen;
      })(),
    ]);
    expect(reads).toEqual(meanwhile.map((_, index) => tokenOf(early[index % early.length]!)));
    // Whatever the other process wrapped before or after the switch is under the new key now,
    // or is carried over by a second rotation at the latest: nothing may stay under the old one.
    const status = await admin<KeyStatus>(rotating, 'GET', '/v1/admin/keys');
    const left = status.masterKey.wrapped.filter((count) => count.masterKeyId !== rotation.keyId);
    expect(left).toEqual([]);

    const fresh = await startProcess(await fileKeys(), rotating.adminToken);
    await expect(fresh.services.masterKeys.prepare()).resolves.toEqual([]);
    for (const org of [...early, ...meanwhile])
      expect(await readBack(fresh, org)).toBe(tokenOf(org));
  });
});

/** A runner call about the claimed build, with its build token and lease (any app instance). */
function runnerCall(app: TestApp, claim: Claim, method: string, path: string) {
  return app.call(method, `/v1/runner/builds/${claim.build.id}${path}`, {
    token: claim.buildToken,
    headers: { 'x-gibbon-lease': claim.lease.id },
  });
}

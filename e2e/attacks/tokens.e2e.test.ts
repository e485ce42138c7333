import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { startRecordingServer, type RecordingServer } from '@gibbon/test-kit';
import { ApiClient, waitUntil } from '../build/harness';
import { AttackStack } from './harness/attack-stack';
import {
  asymmetric,
  decodeJwt,
  hs256,
  nowSeconds,
  unsignedJwt,
  type JwtPart,
} from './harness/jwt-forge';
import { readSigningKeys } from './harness/operator-keys';
import { buildCalls, runnerCall, RunnerClient, type ClaimedBuild } from './harness/runner-client';
import { deliver, fakeSha, pushPayload } from './harness/webhook-deliveries';

// Plan family D (e2e/attacks/README.md): the build tokens (JWTs) public-api issues to runners,
// attacked over the runner API. The test plays the runner (it registers one and claims builds
// itself), so it holds real tokens and leases; no build-runner process runs. Leases last 5 s,
// so test D23 can watch one run out. public-api runs on Postgres, and the test, as the
// operator who holds the master key, recovers the signing key to forge tokens that differ from
// a real one by a single claim.
jest.setTimeout(90_000);

const leaseSeconds = 5;

let attack: AttackStack;
let runner: RunnerClient;
let attacker: RecordingServer;

/** A claimed build: its token and lease, and the runner calls about it. */
interface Held {
  readonly claim: ClaimedBuild;
  readonly auth: { readonly token: string; readonly lease: string };
  readonly calls: ReturnType<typeof buildCalls>;
  readonly header: JwtPart;
  readonly payload: JwtPart;
}

beforeAll(async () => {
  attack = await AttackStack.start({ postgres: true, leaseSeconds });
  runner = await RunnerClient.register(attack.admin, 'token-attacks');
  // The "attacker's" key server of D24, on loopback: any request to it is a failure.
  attacker = await startRecordingServer();
}, 120_000);

afterAll(async () => {
  await attacker?.close();
  await attack?.close();
});

afterEach(async () => {
  expect(await attack.scan()).toEqual([]);
});

function hold(claim: ClaimedBuild): Held {
  const { header, payload } = decodeJwt(claim.buildToken);
  return {
    claim,
    auth: { token: claim.buildToken, lease: claim.lease.id },
    calls: buildCalls(attack.url, claim.build.id),
    header,
    payload,
  };
}

/** Triggers a build and claims it, as a runner would. */
async function claimFresh(): Promise<Held> {
  const build = await attack.project.trigger('main');
  for (;;) {
    const held = hold(await runner.claim());
    if (held.claim.build.id === build.id) return held;
    // A build another test left to expire came back first: finish it and claim again.
    await held.calls.result(held.auth, 'error');
  }
}

/** Ends a held build so its lease cannot come back into the queue. */
async function release(held: Held): Promise<void> {
  await held.calls.heartbeat(held.auth);
  await held.calls.result(held.auth, 'failure');
}

/** The status of GET params with `token` (and the held build's lease). */
async function paramsStatus(held: Held, token: string): Promise<number> {
  return (await held.calls.params({ token, lease: held.auth.lease })).status;
}

async function operatorKey(): Promise<{ kid: string; secret: Buffer }> {
  const [current] = await readSigningKeys(attack.database!.database.url, attack.masterKey);
  if (!current) throw new Error('no active build signing key in the database');
  return current;
}

describe('D. tokens (JWT)', () => {
  test('D21 algorithm attacks: none, stripped or moved signatures and foreign algorithms are 401', async () => {
    await attack.withLogs(async () => {
      const held = await claimFresh();
      const other = await claimFresh();
      const { header, payload } = held;
      const [h, p, s] = held.auth.token.split('.') as [string, string, string];
      const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const ed = generateKeyPairSync('ed25519');
      const rsaPublicPem = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();
      const forged: Record<string, string> = {
        'alg none, empty signature': unsignedJwt({ ...header, alg: 'none' }, payload),
        'alg None': unsignedJwt({ ...header, alg: 'None' }, payload),
        'alg NONE with the original signature': unsignedJwt({ ...header, alg: 'NONE' }, payload, s),
        'stripped signature': `${h}.${p}.`,
        'two segments only': `${h}.${p}`,
        'payload for another build, original signature': `${h}.${Buffer.from(JSON.stringify({ ...payload, sub: other.claim.build.id })).toString('base64url')}.${s}`,
        'payload with a later exp, original signature': `${h}.${Buffer.from(JSON.stringify({ ...payload, exp: Number(payload.exp) + 86_400 })).toString('base64url')}.${s}`,
        'HS256 signed with an empty key': hs256(header, payload, ''),
        'HS256 signed with the kid as key': hs256(header, payload, String(header.kid)),
        'HS256 signed with an RSA public key': hs256(header, payload, rsaPublicPem),
        RS256: asymmetric('RS256', header, payload, rsa.privateKey),
        ES256: asymmetric('ES256', header, payload, ec.privateKey),
        EdDSA: asymmetric('EdDSA', header, payload, ed.privateKey),
        'signature of another real token': `${h}.${p}.${other.auth.token.split('.')[2]}`,
      };
      expect(await paramsStatus(held, held.auth.token)).toBe(200);
      const answers: Record<string, number> = {};
      for (const [name, token] of Object.entries(forged))
        answers[name] = await paramsStatus(held, token);
      expect(answers).toEqual(Object.fromEntries(Object.keys(forged).map((name) => [name, 401])));
      // Nothing a forgery did changed the build: the real token still holds it.
      expect(await paramsStatus(held, held.auth.token)).toBe(200);
      await release(held);
      await release(other);
    });
  });

  test('D22 claim validation: expired, not yet valid, no exp, wrong iss/aud/typ are 401; leeway is under 65 s', async () => {
    await attack.withLogs(async () => {
      const held = await claimFresh();
      const key = await operatorKey();
      expect(held.header.kid).toBe(key.kid);
      const now = nowSeconds();
      const base: JwtPart = { ...held.payload, iat: now, exp: now + 600 };
      const sign = (payload: JwtPart) => hs256(held.header, payload, key.secret);
      const withoutExp = { ...base, exp: undefined };
      const withoutTyp = { ...base, typ: undefined };
      // The control: a token forged with the operator's key and every claim right is accepted,
      // so each refusal below is the claim's doing, not the forging's.
      expect(await paramsStatus(held, sign(base))).toBe(200);
      const cases: Record<string, JwtPart> = {
        'exp 2 min in the past': { ...base, iat: now - 600, exp: now - 120 },
        'exp 65 s in the past (beyond a 60 s leeway)': { ...base, iat: now - 600, exp: now - 65 },
        'nbf 2 min in the future': { ...base, nbf: now + 120 },
        'nbf 65 s in the future': { ...base, nbf: now + 65 },
        'no exp': withoutExp,
        'exp as a string': { ...base, exp: String(now + 600) },
        'wrong iss': { ...base, iss: 'https://attacker.example' },
        'no iss': { ...base, iss: undefined },
        'wrong aud (the public API)': { ...base, aud: 'gibbon-public-api' },
        'aud list without ours': { ...base, aud: ['someone-else'] },
        'typ script (a Script API token)': { ...base, typ: 'script' },
        'typ session': { ...base, typ: 'session' },
        'no typ': withoutTyp,
        'sub not a string': { ...base, sub: 12 },
      };
      const answers: Record<string, number> = {};
      for (const [name, payload] of Object.entries(cases))
        answers[name] = await paramsStatus(held, sign(payload));
      expect(answers).toEqual(Object.fromEntries(Object.keys(cases).map((name) => [name, 401])));

      // Tokens of one kind where another is expected: refused (401 or 403), never served.
      const refused = (status: number) => status === 401 || status === 403;
      const asBuild = new ApiClient(attack.url, held.auth.token);
      const asRunner = new ApiClient(attack.url, runner.token);
      const cross: Record<string, number> = {
        'runner token on an admin route (GET /v1/runners)': (
          await asRunner.call('GET', '/v1/runners')
        ).status,
        'runner token on an org route': (await asRunner.call('GET', '/v1/orgs/acme/params')).status,
        'build token on an admin route (POST /v1/runners)': (
          await asBuild.call('POST', '/v1/runners', { name: 'evil' })
        ).status,
        'build token reading org parameters': (await asBuild.call('GET', '/v1/orgs/acme/params'))
          .status,
        'build token claiming builds': (
          await runnerCall(attack.url, 'POST', '/v1/runner/claim?wait=0', {
            token: held.auth.token,
            body: {},
          })
        ).status,
        'admin token as a build token': await paramsStatus(held, attack.admin.token),
        'runner token as a build token': await paramsStatus(held, runner.token),
      };
      for (const [name, status] of Object.entries(cross))
        expect({ name, refused: refused(status) }).toEqual({ name, refused: true });
      await release(held);
    });
  });

  test("D23 scope, IDOR and revocation: another build is 403; a finished, canceled or lost build's token is refused", async () => {
    await attack.withLogs(async () => {
      const a = await claimFresh();
      const b = await claimFresh();
      const asA = { token: a.auth.token, lease: b.auth.lease };
      const crossBuild: Record<string, number> = {
        params: (await b.calls.params(asA)).status,
        heartbeat: (await b.calls.heartbeat(asA)).status,
        log: (await b.calls.log(asA, 'compile', 0, 'injected by build A\n')).status,
        event: (
          await b.calls.event(asA, {
            type: 'job.pending',
            jobId: 'evil',
            kind: 'action',
            dependsOn: [],
            at: new Date().toISOString(),
          })
        ).status,
        result: (await b.calls.result(asA, 'success')).status,
      };
      expect(crossBuild).toEqual({
        params: 403,
        heartbeat: 403,
        log: 403,
        event: 403,
        result: 403,
      });
      // Build A's token on the public API (B's build, logs, artifacts): not a user token.
      const asBuild = new ApiClient(attack.url, a.auth.token);
      const repo = attack.project.repoPath;
      for (const path of [
        `${repo}/builds/${b.claim.build.number}`,
        `${repo}/builds/${b.claim.build.number}/jobs/compile/logs`,
        `${repo}/builds/${b.claim.build.number}/artifacts`,
      ]) {
        const status = (await asBuild.call('GET', path)).status;
        expect({ path, refused: status === 401 || status === 403 }).toEqual({
          path,
          refused: true,
        });
      }
      expect((await attack.project.build(b.claim.build.number)).status).toBe('running');
      expect((await attack.project.build(b.claim.build.number)).jobs).toEqual([]);

      // Lifetime: at most a day (GitHub's cap [S27]); it is the build timeout.
      const lifetime = Number(a.payload.exp) - Number(a.payload.iat);
      expect(lifetime).toBeGreaterThan(0);
      expect(lifetime).toBeLessThanOrEqual(24 * 3600);

      // After the result: 1 s later nothing the token asks for is served or changed.
      expect((await a.calls.result(a.auth, 'success')).status).toBe(200);
      await new Promise((done) => setTimeout(done, 1000));
      const afterEnd = await refusalsOf(a);
      expect(afterEnd).toEqual({ params: true, heartbeat: true, log: true, event: true });
      expect((await a.calls.result(a.auth, 'failure')).status).toBe(409);
      expect((await attack.project.build(a.claim.build.number)).status).toBe('success');

      // After a cancel: the runner learns it, posts `canceled`, and the token is dead too.
      await attack.admin.ok('POST', `${repo}/builds/${b.claim.build.number}/cancel`);
      expect((await b.calls.heartbeat(b.auth)).body).toMatchObject({ cancel: true });
      expect((await b.calls.result(b.auth, 'canceled')).status).toBe(200);
      await new Promise((done) => setTimeout(done, 1000));
      expect(await refusalsOf(b)).toEqual({
        params: true,
        heartbeat: true,
        log: true,
        event: true,
      });

      // After the runner is gone (its lease ran out, the build went back to the queue and
      // another claim took it): the old token is refused, with the old lease and the new one.
      const lost = await claimFresh();
      await waitUntil(
        'the unrenewed lease to run out and the build to be queued again',
        async () =>
          (await attack.project.build(lost.claim.build.number)).status === 'queued'
            ? true
            : undefined,
        { timeoutMs: (leaseSeconds + 15) * 1000, intervalMs: 250 },
      );
      const again = hold(await runner.claim());
      expect(again.claim.build.id).toBe(lost.claim.build.id);
      const oldToken = lost.auth.token;
      expect((await again.calls.params({ token: oldToken, lease: lost.auth.lease })).status).toBe(
        409,
      );
      const withNewLease = await again.calls.params({ token: oldToken, lease: again.auth.lease });
      expect({ oldTokenWithTheNewLease: withNewLease.status }).toEqual({
        oldTokenWithTheNewLease: 401,
      });
      expect((await again.calls.params(again.auth)).status).toBe(200);
      await release(again);
    });
  }, 90_000);

  test('D24 header injection: kid traversal or SQL, jku, x5u and an embedded jwk are 401 and fetch nothing', async () => {
    await attack.withLogs(async () => {
      const held = await claimFresh();
      const key = await operatorKey();
      const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const jwk = rsa.publicKey.export({ format: 'jwk' });
      const base = held.payload;
      const forged: Record<string, string> = {
        'kid ../../../../dev/null, signed with an empty key': hs256(
          { ...held.header, kid: '../../../../dev/null' },
          base,
          '',
        ),
        'kid ../../../../dev/null, signed with the real key': hs256(
          { ...held.header, kid: '../../../../dev/null' },
          base,
          key.secret,
        ),
        "kid x' OR '1'='1": hs256({ ...held.header, kid: "x' OR '1'='1" }, base, 'x'),
        "kid x' UNION SELECT 'attacker' --": hs256(
          { ...held.header, kid: "x' UNION SELECT 'attacker' --" },
          base,
          'attacker',
        ),
        'no kid, signed with the real key': hs256({ typ: 'JWT' }, base, key.secret),
        'kid as a number': hs256({ ...held.header, kid: 1 }, base, key.secret),
        'jku to the attacker': asymmetric(
          'RS256',
          { kid: 'attacker', jku: `${attacker.url}/jwks.json` },
          base,
          rsa.privateKey,
        ),
        'x5u to the attacker': asymmetric(
          'RS256',
          { kid: 'attacker', x5u: `${attacker.url}/cert.pem` },
          base,
          rsa.privateKey,
        ),
        'embedded jwk': asymmetric('RS256', { kid: 'attacker', jwk }, base, rsa.privateKey),
        'embedded jwk with the real kid': asymmetric(
          'RS256',
          { kid: held.header.kid, jwk },
          base,
          rsa.privateKey,
        ),
        'jku with the real kid': hs256(
          { ...held.header, jku: `${attacker.url}/jwks.json` },
          base,
          randomBytes(32),
        ),
      };
      const answers: Record<string, number> = {};
      for (const [name, token] of Object.entries(forged))
        answers[name] = await paramsStatus(held, token);
      expect(answers).toEqual(Object.fromEntries(Object.keys(forged).map((name) => [name, 401])));
      expect(attacker.requests).toEqual([]);
      expect(await paramsStatus(held, held.auth.token)).toBe(200);
      await release(held);
    });
  });

  test('D25 key rotation drill: in-flight tokens live on, new ones carry the new kid, a revoked key is refused at once, the master key re-wraps without downtime', async () => {
    await attack.withLogs(async () => {
      const first = await claimFresh();
      const firstKid = String(first.header.kid);
      const rotated = await attack.admin.call<{ kid: string }>(
        'POST',
        '/v1/admin/keys/signing/rotate',
        {},
      );
      expect(rotated.status).toBe(200);
      expect(rotated.body.kid).not.toBe(firstKid);
      // The token issued before the rotation is still good until its exp.
      expect((await first.calls.heartbeat(first.auth)).status).toBe(200);
      expect(await paramsStatus(first, first.auth.token)).toBe(200);
      const second = await claimFresh();
      expect(second.header.kid).toBe(rotated.body.kid);

      // A leaked key: rotate and retire the others now; their tokens are refused at once.
      const revoked = await attack.admin.call<{ kid: string }>(
        'POST',
        '/v1/admin/keys/signing/rotate',
        { retireOthersNow: true },
      );
      expect(revoked.status).toBe(200);
      expect(await paramsStatus(first, first.auth.token)).toBe(401);
      expect(await paramsStatus(second, second.auth.token)).toBe(401);
      const third = await claimFresh();
      expect(third.header.kid).toBe(revoked.body.kid);

      // The master key: the operator starts public-api with a new GIBBON_MASTER_KEY and the
      // old one as GIBBON_MASTER_KEY_PREVIOUS, then rotates while deliveries keep coming.
      const oldKey = attack.masterKey;
      const newKey = randomBytes(32);
      await attack.stack.api.stop();
      await attack.stack.startApi({
        GIBBON_MASTER_KEY: newKey.toString('base64'),
        GIBBON_MASTER_KEY_PREVIOUS: oldKey.toString('base64'),
      });
      // Leases are short here: the builds claimed before the restarts are left to expire.
      const during = await claimFresh();
      let traffic = true;
      const statuses: number[] = [];
      const background = (async () => {
        while (traffic) {
          statuses.push((await deliver(attack.webhook, 'push', pushPayload(fakeSha()))).status);
          statuses.push((await during.calls.heartbeat(during.auth)).status);
          statuses.push((await attack.admin.call('GET', '/v1/orgs/acme/params')).status);
        }
      })();
      const master = await attack.admin.call<{
        rewrapped: { dataKeys: number; signingKeys: number };
      }>('POST', '/v1/admin/keys/master/rotate');
      traffic = false;
      await background;
      expect(master.status).toBe(200);
      expect(master.body.rewrapped.dataKeys).toBeGreaterThan(0);
      expect(statuses.length).toBeGreaterThan(0);
      expect(statuses.filter((status) => status >= 300)).toEqual([]);
      // Everything opens with the new key alone.
      await attack.stack.api.stop();
      await attack.stack.startApi({
        GIBBON_MASTER_KEY: newKey.toString('base64'),
        GIBBON_MASTER_KEY_PREVIOUS: undefined,
      });
      const after = await claimFresh();
      const params = await after.calls.params(after.auth);
      expect(params.status).toBe(200);
      const values = (params.body as { values: { name: string; value: string }[] }).values;
      for (const canary of attack.canaries.filter((c) => c.name.startsWith('CANARY_'))) {
        expect(values).toContainEqual({ name: canary.name, value: canary.value });
      }
      expect((await deliver(attack.webhook, 'push', pushPayload(fakeSha()))).status).toBeLessThan(
        300,
      );
      expect(await readSigningKeys(attack.database!.database.url, newKey)).not.toHaveLength(0);
      await release(after);
    });
  }, 90_000);
});

/** Whether each runner call with the held build's own token and lease is refused. */
async function refusalsOf(held: Held): Promise<Record<string, boolean>> {
  const refused = (status: number) => status === 401 || status === 409 || status === 422;
  return {
    params: refused((await held.calls.params(held.auth)).status),
    heartbeat: refused((await held.calls.heartbeat(held.auth)).status),
    log: refused((await held.calls.log(held.auth, 'late', 0, 'written after the end\n')).status),
    event: refused(
      (
        await held.calls.event(held.auth, {
          type: 'job.queued',
          jobId: 'late',
          at: new Date().toISOString(),
        })
      ).status,
    ),
  };
}

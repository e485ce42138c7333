import { randomBytes } from 'node:crypto';
import { AuthenticationError } from '@gibbon/contracts';
import jwt from 'jsonwebtoken';
import { signJwt, verifyJwt, type KeyRing, type SigningKey } from './jwt';

const profile = { typ: 'build', issuer: 'gibbon-public-api', audience: 'gibbon-runner' };

function ringOf(current: SigningKey, ...older: SigningKey[]): KeyRing {
  return { current, verifying: new Map([current, ...older].map((key) => [key.kid, key])) };
}
const keyA: SigningKey = { kid: 'k1', secret: randomBytes(32) };
const keyB: SigningKey = { kid: 'k2', secret: randomBytes(32) };

function expectRefused(ring: KeyRing, token: string, reason: RegExp): void {
  expect(() => verifyJwt(ring, profile, token)).toThrow(AuthenticationError);
  expect(() => verifyJwt(ring, profile, token)).toThrow(reason);
}

describe('JWT helper', () => {
  it('verifies its own token and returns the claims', () => {
    const token = signJwt(ringOf(keyA), profile, 'build-1', 60, { org: 'acme' });
    const claims = verifyJwt(ringOf(keyA), profile, token);
    expect(claims).toMatchObject({ sub: 'build-1', typ: 'build', org: 'acme' });
  });

  it('keeps verifying tokens of the previous key after rotation', () => {
    const old = signJwt(ringOf(keyA), profile, 'build-1', 60);
    const rotated = ringOf(keyB, keyA);
    expect(verifyJwt(rotated, profile, old).sub).toBe('build-1');
    const header = jwt.decode(signJwt(rotated, profile, 'b', 60), { complete: true })?.header;
    expect(header?.kid).toBe('k2');
  });

  it('refuses an expired token', () => {
    const token = jwt.sign({ typ: 'build', exp: Math.floor(Date.now() / 1000) - 60 }, keyA.secret, {
      algorithm: 'HS256',
      keyid: 'k1',
      subject: 'b',
      issuer: profile.issuer,
      audience: profile.audience,
    });
    expectRefused(ringOf(keyA), token, /expired/);
  });

  it('refuses alg: none', () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT', kid: 'k1' })).toString(
      'base64url',
    );
    const payload = Buffer.from(
      JSON.stringify({
        typ: 'build',
        sub: 'b',
        iss: profile.issuer,
        aud: profile.audience,
        exp: 9999999999,
      }),
    ).toString('base64url');
    expectRefused(ringOf(keyA), `${header}.${payload}.`, /bad signature/);
  });

  it('refuses a token signed with another key under a known kid', () => {
    const forged = signJwt(ringOf({ kid: 'k1', secret: randomBytes(32) }), profile, 'b', 60);
    expectRefused(ringOf(keyA), forged, /bad signature/);
  });

  it('refuses a key id it does not hold', () => {
    expectRefused(ringOf(keyA), signJwt(ringOf(keyB), profile, 'b', 60), /unknown signing key/);
  });

  it('refuses another typ, issuer or audience', () => {
    const ring = ringOf(keyA);
    expectRefused(ring, signJwt(ring, { ...profile, typ: 'script' }, 'b', 60), /wrong token type/);
    expectRefused(
      ring,
      signJwt(ring, { ...profile, issuer: 'x' }, 'b', 60),
      /bad signature or claims/,
    );
    expectRefused(
      ring,
      signJwt(ring, { ...profile, audience: 'x' }, 'b', 60),
      /bad signature or claims/,
    );
  });

  it('refuses garbage', () => expectRefused(ringOf(keyA), 'not-a-jwt', /not a JWT/));
});

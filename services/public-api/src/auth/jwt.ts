import { AuthenticationError } from '@gibbon/contracts';
import jwt from 'jsonwebtoken';

/**
 * Signing and checking of the JWTs Gibbon issues (build tokens for runners). The algorithm
 * is pinned to HS256 on verify, so `alg: none` or a switched algorithm is refused; `typ`,
 * `iss`, `aud` and `exp` are all checked; the `kid` header picks the key, so a new key can
 * sign while tokens signed by the previous one stay valid until they expire.
 */
export interface SigningKey {
  readonly kid: string;
  readonly secret: Buffer;
}

/** The keys of one purpose: `current` signs; every key in `verifying` may verify. */
export interface KeyRing {
  readonly current: SigningKey;
  readonly verifying: ReadonlyMap<string, SigningKey>;
}

export interface JwtProfile {
  /** The `typ` claim every token of this profile carries (`build`). */
  readonly typ: string;
  readonly issuer: string;
  readonly audience: string;
}

export interface JwtClaims {
  readonly sub: string;
  readonly typ: string;
  readonly exp: number;
  readonly [claim: string]: unknown;
}

const algorithm = 'HS256';

export function signJwt(
  ring: KeyRing,
  profile: JwtProfile,
  subject: string,
  ttlSeconds: number,
  extraClaims: Record<string, unknown> = {},
): string {
  return jwt.sign({ ...extraClaims, typ: profile.typ }, ring.current.secret, {
    algorithm,
    keyid: ring.current.kid,
    subject,
    issuer: profile.issuer,
    audience: profile.audience,
    expiresIn: ttlSeconds,
  });
}

function refuse(reason: string, cause?: unknown): AuthenticationError {
  return new AuthenticationError(`The token is not valid: ${reason}.`, { cause });
}

/** The `kid` of a token's header (which key signed it), or undefined; nothing is verified. */
export function keyIdOf(token: string): string | undefined {
  const kid = jwt.decode(token, { complete: true })?.header.kid;
  return typeof kid === 'string' ? kid : undefined;
}

/** Verifies `token` against `profile`; any failure is an `AuthenticationError` (401). */
export function verifyJwt(ring: KeyRing, profile: JwtProfile, token: string): JwtClaims {
  const decoded = jwt.decode(token, { complete: true });
  if (decoded === null) throw refuse('not a JWT');
  const kid = decoded.header.kid;
  const key = kid === undefined ? undefined : ring.verifying.get(kid);
  if (key === undefined) throw refuse('unknown signing key');
  let payload: string | jwt.JwtPayload;
  try {
    payload = jwt.verify(token, key.secret, {
      algorithms: [algorithm],
      issuer: profile.issuer,
      audience: profile.audience,
      clockTolerance: 5,
    });
  } catch (error) {
    const reason = error instanceof jwt.TokenExpiredError ? 'expired' : 'bad signature or claims';
    throw refuse(reason, error);
  }
  if (typeof payload === 'string' || payload.typ !== profile.typ) throw refuse('wrong token type');
  if (typeof payload.sub !== 'string' || typeof payload.exp !== 'number') {
    throw refuse('missing subject or expiry');
  }
  return { ...payload, sub: payload.sub, typ: profile.typ, exp: payload.exp };
}

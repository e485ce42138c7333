import { AuthenticationError } from '@gibbon/contracts';
import { keyIdOf, verifyJwt, type JwtProfile } from './jwt';
import { hashOpaqueToken, opaqueTokenKindOf } from './opaque-tokens';
import { principalOfOwner, type Principal } from './principal';
import type { Repositories } from '../store';
import type { SigningKeysService } from '../keys';

/** The JWT profile of build tokens, issued at claim time by dispatch. */
export const buildTokenProfile: JwtProfile = {
  typ: 'build',
  issuer: 'gibbon-public-api',
  audience: 'gibbon-runner-api',
};

const jwtShape = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** `lastUsedAt` / `lastSeenAt` are written at most this often per token, not on every request. */
const touchIntervalMs = 60_000;

/**
 * Turns a bearer secret into a `Principal`, or throws `AuthenticationError` (401). Opaque
 * tokens are found by the SHA-256 of the secret (one indexed lookup); build tokens are JWTs
 * checked against the build-token key ring.
 */
export class AuthService {
  private readonly lastTouched = new Map<string, number>();

  private readonly apiTokens: Repositories['apiTokens'];
  private readonly runners: Repositories['runners'];

  constructor(
    private readonly store: Pick<
      Repositories,
      'apiTokens' | 'runners' | 'runnerRegistrationTokens'
    >,
    private readonly signingKeys: SigningKeysService,
  ) {
    this.apiTokens = store.apiTokens;
    this.runners = store.runners;
  }

  async authenticate(secret: string): Promise<Principal> {
    const kind = opaqueTokenKindOf(secret);
    if (kind === 'runner') {
      const runner = await this.runners.findByTokenHash(hashOpaqueToken(secret));
      if (runner) {
        this.touch(runner.id, (at) => this.runners.touch(runner.id, at));
        return { kind: 'runner', runnerId: runner.id };
      }
    } else if (kind === 'registration') {
      // Any state: registration says why an expired, used or revoked one is refused.
      const id = await this.store.runnerRegistrationTokens.idByHash(hashOpaqueToken(secret));
      if (id !== undefined) return { kind: 'runner-registration', tokenId: id };
    } else if (kind !== undefined) {
      const owner = await this.apiTokens.findByHash(hashOpaqueToken(secret));
      if (owner?.kind === kind) {
        this.touch(owner.id, (at) => this.apiTokens.touch(owner.id, at));
        return principalOfOwner(owner);
      }
    } else if (jwtShape.test(secret)) {
      const ring = await this.signingKeys.ringFor('build', keyIdOf(secret));
      const claims = verifyJwt(ring, buildTokenProfile, secret);
      return { kind: 'build', buildId: claims.sub, claims };
    }
    throw new AuthenticationError('The bearer token is not valid (unknown, revoked or malformed).');
  }

  /** Records use in the background; a failed write only delays `lastUsedAt`, never the request. */
  private touch(id: string, write: (at: string) => Promise<void>): void {
    const now = Date.now();
    if (now - (this.lastTouched.get(id) ?? 0) < touchIntervalMs) return;
    this.lastTouched.set(id, now);
    write(new Date(now).toISOString()).catch(() => this.lastTouched.delete(id));
  }
}

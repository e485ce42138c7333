import { randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { AuthenticationError } from '@gibbon/contracts';

/** What a verified Script API token says. */
export interface ScriptTokenClaims {
  typ: 'script';
  /** The build id. */
  sub: string;
  /** The operationIds the token may call. */
  scope: string[];
  exp: number;
}

/** HMAC with a random per-build key: only this runner process ever verifies these tokens. */
const ALGORITHM = 'HS256';

/**
 * The signing key of one build's Script API tokens. Lifecycle: created when the build starts
 * (a fresh random key, never stored), `issue()`d once for the script process, `verify()`d on
 * every call, `discard()`ed when the build ends, after which every token of it is refused.
 */
export class ScriptTokenKey {
  private key: Buffer | undefined = randomBytes(32);

  constructor(readonly buildId: string) {}

  issue(scope: readonly string[], expiresInSeconds: number): string {
    if (!this.key) throw new AuthenticationError('The build has ended; no token can be issued.');
    return jwt.sign({ typ: 'script', scope }, this.key, {
      algorithm: ALGORITHM,
      subject: this.buildId,
      expiresIn: Math.max(1, Math.floor(expiresInSeconds)),
    });
  }

  /** The claims of `token`, or an AuthenticationError saying what is wrong with it. */
  verify(token: string): ScriptTokenClaims {
    if (!this.key)
      throw new AuthenticationError('The build has ended; its token is no longer valid.');
    let payload: unknown;
    try {
      // The algorithm is pinned: a token claiming `none` or another algorithm is refused.
      payload = jwt.verify(token, this.key, { algorithms: [ALGORITHM], subject: this.buildId });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new AuthenticationError(`The Script API token is not valid: ${reason}.`, {
        cause: error,
      });
    }
    const claims = payload as Partial<ScriptTokenClaims>;
    if (claims.typ !== 'script') {
      throw new AuthenticationError('The token is not a Script API token (typ must be "script").');
    }
    if (!Array.isArray(claims.scope) || !claims.scope.every((op) => typeof op === 'string')) {
      throw new AuthenticationError('The Script API token has no scope list.');
    }
    return claims as ScriptTokenClaims;
  }

  discard(): void {
    this.key = undefined;
  }
}

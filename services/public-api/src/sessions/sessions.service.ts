import { randomBytes } from 'node:crypto';
import { AuthenticationError, NotAllowedError, type Session } from '@gibbon/contracts';
import { hashOpaqueToken, principalOfOwner, type AuthService, type Principal } from '../auth';
import type { WebSessionsRepository } from './web-sessions.repository';

/** How long a session of the web page lasts from signing in (then the person signs in again). */
export const sessionLifetimeMs = 12 * 60 * 60 * 1000;

/** A session the cookie's secret opened: who it is and its CSRF token. */
export interface OpenSession {
  readonly principal: Principal;
  readonly csrfToken: string;
  readonly expiresAt: string;
}

/** A new session: the secret goes into the cookie only, the rest into the answer. */
export interface NewSession {
  readonly secret: string;
  readonly session: Session;
}

/** The answer's picture of a principal (no token ids: the page needs none). */
export function sessionPrincipalOf(principal: Principal): Session['principal'] {
  if (principal.kind === 'admin') return { kind: 'admin' };
  if (principal.kind === 'org') return { kind: 'org', org: principal.org, role: principal.role };
  throw new NotAllowedError('Only an admin or org token has a session of the web page.');
}

/**
 * Sessions of the web page. Signing in checks the token as any call would and stores a new
 * random secret's hash with a CSRF token; the cookie then stands for that token until the
 * session expires, is ended, or the token is deleted (its sessions go with it).
 */
export class SessionsService {
  constructor(
    private readonly sessions: WebSessionsRepository,
    private readonly auth: AuthService,
    private readonly now: () => number = Date.now,
  ) {}

  async signIn(token: string): Promise<NewSession> {
    const principal = await this.auth.authenticate(token);
    if (principal.kind !== 'admin' && principal.kind !== 'org') {
      throw new NotAllowedError(
        `A ${principal.kind} token cannot sign in to the web page; use the admin token or an org token.`,
      );
    }
    const secret = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(24).toString('base64url');
    const now = this.now();
    const expiresAt = new Date(now + sessionLifetimeMs).toISOString();
    await this.sessions.deleteExpired(new Date(now).toISOString());
    await this.sessions.insert({
      secret_hash: hashOpaqueToken(secret),
      token_id: principal.tokenId,
      csrf_token: csrfToken,
      created_at: new Date(now).toISOString(),
      expires_at: expiresAt,
    });
    return { secret, session: { principal: sessionPrincipalOf(principal), csrfToken, expiresAt } };
  }

  /** The live session of a cookie's secret, or 401 saying to sign in again. */
  async open(secret: string): Promise<OpenSession> {
    const found = await this.sessions.findLive(
      hashOpaqueToken(secret),
      new Date(this.now()).toISOString(),
    );
    if (!found) {
      throw new AuthenticationError(
        'Your session has ended (it expired, you signed out, or its token was deleted); sign in again.',
      );
    }
    return {
      principal: principalOfOwner(found.owner),
      csrfToken: found.csrfToken,
      expiresAt: found.expiresAt,
    };
  }

  async signOut(secret: string): Promise<void> {
    await this.sessions.delete(hashOpaqueToken(secret));
  }
}

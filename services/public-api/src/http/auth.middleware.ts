import { timingSafeEqual } from 'node:crypto';
import { AuthenticationError, NotAllowedError } from '@gibbon/contracts';
import type { Request, RequestHandler, Response } from 'express';
import { tokenKindOf, type Principal, type AuthService } from '../auth';
import {
  csrfHeaderName,
  sessionSecretOf,
  type OpenSession,
  type SessionsService,
} from '../sessions';
import type { MatchedOperation, OperationMatcher } from './operations';

/** What the request pipeline learnt about a request, kept on `res.locals`. */
export interface RequestContext {
  matched?: MatchedOperation;
  principal?: Principal;
  /** The web session the request came with (its cookie), when it used one. */
  session?: OpenSession & { readonly secret: string };
}

export function contextOf(res: Response): RequestContext {
  return res.locals as RequestContext;
}

/** The caller of an authenticated operation (set by `authenticate`, so always present there). */
export function principalOf(res: Response): Principal {
  const { principal } = contextOf(res);
  if (!principal) throw new AuthenticationError('This operation needs a bearer token.');
  return principal;
}

function bearerOf(header: string | undefined): string {
  if (header === undefined)
    throw new AuthenticationError('Send a token as "Authorization: Bearer <token>".');
  const match = /^Bearer ([^\s]+)$/i.exec(header.trim());
  if (!match?.[1])
    throw new AuthenticationError('The Authorization header must be "Bearer <token>".');
  return match[1];
}

const readMethods = new Set(['GET', 'HEAD']);

function sameSecret(sent: string | undefined, expected: string): boolean {
  if (sent === undefined) return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * A request's principal: from its bearer token, or else from its session cookie. A session's
 * call that changes something must carry the session's CSRF token: another site can make a
 * browser send the cookie (SameSite aside), never read the token to send with it.
 */
async function principalOfRequest(
  req: Request,
  context: RequestContext,
  auth: AuthService,
  sessions: SessionsService,
): Promise<Principal> {
  const authorization = req.get('authorization');
  const secret = authorization === undefined ? sessionSecretOf(req.get('cookie')) : undefined;
  if (secret === undefined) return auth.authenticate(bearerOf(authorization));
  const session = await sessions.open(secret);
  if (!readMethods.has(req.method) && !sameSecret(req.get(csrfHeaderName), session.csrfToken)) {
    throw new NotAllowedError(
      `A call that changes something must carry the session's CSRF token in ${csrfHeaderName}; ` +
        'reload the page, or call the API with a bearer token.',
    );
  }
  context.session = { ...session, secret };
  return session.principal;
}

/**
 * Authenticates and authorises before the body is parsed: the operation's
 * `x-gibbon-token-kinds` says which kinds of token it accepts (401 without a valid token,
 * 403 for a kind it does not accept), and an org token only reaches its own org (403). A web
 * session's cookie stands for the token it was made from. Undocumented paths pass through
 * untouched; the OpenAPI validator answers them.
 */
export function authenticate(
  matcher: OperationMatcher,
  auth: AuthService,
  sessions: SessionsService,
): RequestHandler {
  return async (req, res, next) => {
    const matched = matcher.match(req.method, req.path);
    const context = contextOf(res);
    context.matched = matched;
    if (!matched || matched.operation.tokenKinds.length === 0) return next();
    const principal = await principalOfRequest(req, context, auth, sessions);
    const kind = tokenKindOf(principal);
    if (!matched.operation.tokenKinds.includes(kind)) {
      throw new NotAllowedError(`A ${kind} token may not call ${matched.operation.operationId}.`);
    }
    const org = matched.params.org;
    if (principal.kind === 'org' && org !== undefined && org !== principal.org) {
      throw new NotAllowedError('This token belongs to another organisation.');
    }
    context.principal = principal;
    next();
  };
}

import { AuthenticationError, NotAllowedError } from '@gibbon/contracts';
import type { RequestHandler, Response } from 'express';
import { tokenKindOf, type Principal, type AuthService } from '../auth';
import type { MatchedOperation, OperationMatcher } from './operations';

/** What the request pipeline learnt about a request, kept on `res.locals`. */
export interface RequestContext {
  matched?: MatchedOperation;
  principal?: Principal;
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

/**
 * Authenticates and authorises before the body is parsed: the operation's
 * `x-gibbon-token-kinds` says which kinds of token it accepts (401 without a valid token,
 * 403 for a kind it does not accept), and an org token only reaches its own org (403).
 * Undocumented paths pass through untouched; the OpenAPI validator answers them.
 */
export function authenticate(matcher: OperationMatcher, auth: AuthService): RequestHandler {
  return async (req, res, next) => {
    const matched = matcher.match(req.method, req.path);
    const context = contextOf(res);
    context.matched = matched;
    if (!matched || matched.operation.tokenKinds.length === 0) return next();
    const principal = await auth.authenticate(bearerOf(req.get('authorization')));
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

import type { RequestHandler } from 'express';
import { AuthenticationError, NotAllowedError } from '@gibbon/contracts';
import { operationOf } from '@gibbon/contracts/validation';
import type { ScriptTokenClaims, ScriptTokenKey } from './token';

/** Checks the bearer token (signature, expiry, `typ`, `sub`) on every call but the document. */
export function authenticate(key: ScriptTokenKey): RequestHandler {
  return (req, res, next) => {
    const match = /^Bearer ([^\s]+)$/.exec(req.get('authorization') ?? '');
    if (!match?.[1]) {
      throw new AuthenticationError(
        'The Script API needs Authorization: Bearer $GIBBON_API_TOKEN.',
      );
    }
    res.locals.claims = key.verify(match[1]);
    next();
  };
}

/**
 * Checks that the token's scope holds the operation. The operationId comes from the request
 * validator's match, or is given by the route.
 */
export function requireScope(operationId?: string): RequestHandler {
  return (_req, res, next) => {
    const operation = operationId ?? operationOf(res)?.operationId;
    const claims = res.locals.claims as ScriptTokenClaims | undefined;
    if (!operation || !claims?.scope.includes(operation)) {
      throw new NotAllowedError(
        `This build's token may not call ${operation ?? 'this operation'}.`,
      );
    }
    next();
  };
}

import type { SessionCreate } from '@gibbon/contracts';
import { Router } from 'express';
import type { Services } from '../services';
import { bodyOf } from '../http/mappers';
import { contextOf, principalOf } from '../http/auth.middleware';
import { sessionCookie } from './session-cookie';
import { sessionPrincipalOf } from './sessions.service';

/**
 * Signing in and out of the web page. `secureCookies`: the service is served over https
 * (`GIBBON_PUBLIC_URL`), so the cookie is marked Secure.
 */
export function sessionsRoutes(services: Services, secureCookies: boolean): Router {
  const router = Router();
  router.post('/v1/session', async (req, res) => {
    const { secret, session } = await services.sessions.signIn(bodyOf<SessionCreate>(req).token);
    res.setHeader('Set-Cookie', sessionCookie(secret, secureCookies));
    res.setHeader('Cache-Control', 'no-store');
    res.status(201).json(session);
  });
  router.get('/v1/session', (_req, res) => {
    const { session } = contextOf(res);
    res.setHeader('Cache-Control', 'no-store');
    res.json({
      principal: sessionPrincipalOf(principalOf(res)),
      csrfToken: session?.csrfToken ?? null,
      expiresAt: session?.expiresAt ?? null,
    });
  });
  router.delete('/v1/session', async (_req, res) => {
    const { session } = contextOf(res);
    if (session) await services.sessions.signOut(session.secret);
    res.setHeader('Set-Cookie', sessionCookie(undefined, secureCookies));
    res.status(204).end();
  });
  return router;
}

import type { OrgCreate } from '@gibbon/contracts';
import { Router } from 'express';
import type { Services } from '../services';
import { principalOf } from '../http/auth.middleware';
import { bodyOf, pathParam } from '../http/mappers';

export function orgsRoutes(services: Services): Router {
  const router = Router();
  router.post('/v1/orgs', async (req, res) => {
    res.status(201).json(await services.orgs.create(bodyOf<OrgCreate>(req)));
  });
  router.get('/v1/orgs', async (_req, res) => {
    const principal = principalOf(res);
    // An org token sees only its own org; the admin token sees all.
    const items = await services.orgs.list(principal.kind === 'org' ? principal.org : undefined);
    res.json({ items });
  });
  router.get('/v1/orgs/:org', async (req, res) => {
    res.json(await services.orgs.get(pathParam(req, 'org')));
  });
  return router;
}

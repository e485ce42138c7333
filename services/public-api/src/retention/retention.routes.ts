import type { RetentionPolicy } from '@gibbon/contracts';
import { Router } from 'express';
import type { Services } from '../services';
import { principalOf } from '../http/auth.middleware';
import { bodyOf, pathParam } from '../http/mappers';

export function retentionRoutes(services: Services): Router {
  const router = Router();
  router.get('/v1/orgs/:org/retention', async (req, res) => {
    res.json(await services.retention.get(pathParam(req, 'org')));
  });
  router.put('/v1/orgs/:org/retention', async (req, res) => {
    const body = bodyOf<RetentionPolicy>(req);
    res.json(await services.retention.put(pathParam(req, 'org'), body, principalOf(res)));
  });
  return router;
}

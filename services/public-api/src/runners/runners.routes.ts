import type { RunnerCreate } from '@gibbon/contracts';
import { Router } from 'express';
import type { Services } from '../services';
import { principalOf } from '../http/auth.middleware';
import { bodyOf, pathParam } from '../http/mappers';

export function runnersRoutes(services: Services): Router {
  const router = Router();
  router.post('/v1/runners', async (req, res) => {
    res
      .status(201)
      .json(await services.runners.register(bodyOf<RunnerCreate>(req), principalOf(res)));
  });
  router.get('/v1/runners', async (_req, res) => {
    res.json({ items: await services.runners.list() });
  });
  router.post('/v1/runners/:runnerId/drain', async (req, res) => {
    res.json(await services.runners.drain(pathParam(req, 'runnerId'), principalOf(res)));
  });
  router.delete('/v1/runners/:runnerId', async (req, res) => {
    await services.runners.delete(pathParam(req, 'runnerId'), principalOf(res));
    res.status(204).end();
  });
  return router;
}

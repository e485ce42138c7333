import type { RegistrationTokenCreate, RunnerCreate, RunnerRegistration } from '@gibbon/contracts';
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
  registrationRoutes(router, services);
  router.post('/v1/runners/:runnerId/drain', async (req, res) => {
    res.json(await services.runners.drain(pathParam(req, 'runnerId'), principalOf(res)));
  });
  router.delete('/v1/runners/:runnerId', async (req, res) => {
    await services.runners.delete(pathParam(req, 'runnerId'), principalOf(res));
    res.status(204).end();
  });
  return router;
}

/** Registration tokens (public API) and the runner's own registration (runner API). */
function registrationRoutes(router: Router, services: Services): void {
  const { registrationTokens } = services;
  const base = '/v1/runner-registration-tokens';
  router.post(base, async (req, res) => {
    const input = bodyOf<RegistrationTokenCreate>(req);
    res.status(201).json(await registrationTokens.create(input, principalOf(res)));
  });
  router.get(base, async (_req, res) => {
    res.json({ items: await registrationTokens.list() });
  });
  router.delete(`${base}/:tokenId`, async (req, res) => {
    await registrationTokens.revoke(pathParam(req, 'tokenId'), principalOf(res));
    res.status(204).end();
  });
  router.post('/v1/runner/register', async (req, res) => {
    const input = bodyOf<RunnerRegistration>(req);
    res.status(201).json(await registrationTokens.register(principalOf(res), input));
  });
}

import type { SigningKeyRotate } from '@gibbon/contracts';
import { Router } from 'express';
import type { Services } from '../services';
import { bodyOf } from '../http/mappers';

/** `/v1/admin/keys...` (admin only): key state and rotation. */
export function keysRoutes(services: Services): Router {
  const router = Router();
  router.get('/v1/admin/keys', async (_req, res) => {
    res.json(await services.keys.status());
  });
  router.post('/v1/admin/keys/signing/rotate', async (req, res) => {
    // The body is optional: no body rotates with the defaults.
    res.json(await services.keys.rotateSigningKey(bodyOf<SigningKeyRotate | undefined>(req) ?? {}));
  });
  router.post('/v1/admin/keys/master/rotate', async (_req, res) => {
    res.json(await services.keys.rotateMasterKey());
  });
  return router;
}

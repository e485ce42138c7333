import type { TokenCreate } from '@gibbon/contracts';
import { Router } from 'express';
import type { Services } from '../services';
import { principalOf } from '../http/auth.middleware';
import { bodyOf, pathParam } from '../http/mappers';

export function tokensRoutes(services: Services): Router {
  const router = Router();
  const base = '/v1/orgs/:org/tokens';
  router.post(base, async (req, res) => {
    res
      .status(201)
      .json(
        await services.tokens.createOrgToken(
          pathParam(req, 'org'),
          bodyOf<TokenCreate>(req),
          principalOf(res),
        ),
      );
  });
  router.get(base, async (req, res) => {
    res.json({ items: await services.tokens.list(pathParam(req, 'org')) });
  });
  router.delete(`${base}/:tokenId`, async (req, res) => {
    await services.tokens.delete(
      pathParam(req, 'org'),
      pathParam(req, 'tokenId'),
      principalOf(res),
    );
    res.status(204).end();
  });
  return router;
}

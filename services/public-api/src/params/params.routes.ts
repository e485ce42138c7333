import type { ParamSetCreate, ParamSetUpdate } from '@gibbon/contracts';
import { Router } from 'express';
import type { Services } from '../services';
import { principalOf } from '../http/auth.middleware';
import { bodyOf, paramSetJson, pathParam } from '../http/mappers';

export function paramsRoutes(services: Services): Router {
  const router = Router();
  const base = '/v1/orgs/:org/params';
  router.post(base, async (req, res) => {
    const body = bodyOf<ParamSetCreate>(req);
    const set = await services.params.create(
      pathParam(req, 'org'),
      { description: body.description, labelFilters: body.labelFilters, values: body.values },
      principalOf(res),
    );
    res.status(201).json(paramSetJson(set));
  });
  router.get(base, async (req, res) => {
    const sets = await services.params.list(pathParam(req, 'org'));
    res.json({ items: sets.map(paramSetJson) });
  });
  router.get(`${base}/:paramSetId`, async (req, res) => {
    res.json(
      paramSetJson(await services.params.get(pathParam(req, 'org'), pathParam(req, 'paramSetId'))),
    );
  });
  router.put(`${base}/:paramSetId`, async (req, res) => {
    const body = bodyOf<ParamSetUpdate>(req);
    const set = await services.params.replace(
      pathParam(req, 'org'),
      pathParam(req, 'paramSetId'),
      { description: body.description, labelFilters: body.labelFilters, values: body.values },
      principalOf(res),
    );
    res.json(paramSetJson(set));
  });
  router.delete(`${base}/:paramSetId`, async (req, res) => {
    await services.params.delete(
      pathParam(req, 'org'),
      pathParam(req, 'paramSetId'),
      principalOf(res),
    );
    res.status(204).end();
  });
  return router;
}

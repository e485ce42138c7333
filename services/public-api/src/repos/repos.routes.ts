import type { RepoCreate, RepoUpdate } from '@gibbon/contracts';
import { Router } from 'express';
import type { Services } from '../services';
import { principalOf } from '../http/auth.middleware';
import { bodyOf, pathParam, repoJson } from '../http/mappers';

export function reposRoutes(services: Services): Router {
  const router = Router();
  const base = '/v1/orgs/:org/repos';
  router.post(base, async (req, res) => {
    const repo = await services.repos.create(
      pathParam(req, 'org'),
      bodyOf<RepoCreate>(req),
      principalOf(res),
    );
    res.status(201).json(repoJson(repo));
  });
  router.get(base, async (req, res) => {
    const repos = await services.repos.list(pathParam(req, 'org'));
    res.json({ items: repos.map(repoJson) });
  });
  router.get(`${base}/:repo`, async (req, res) => {
    res.json(repoJson(await services.repos.get(pathParam(req, 'org'), pathParam(req, 'repo'))));
  });
  router.patch(`${base}/:repo`, async (req, res) => {
    const repo = await services.repos.update(
      pathParam(req, 'org'),
      pathParam(req, 'repo'),
      bodyOf<RepoUpdate>(req),
      principalOf(res),
    );
    res.json(repoJson(repo));
  });
  router.delete(`${base}/:repo`, async (req, res) => {
    await services.repos.delete(pathParam(req, 'org'), pathParam(req, 'repo'), principalOf(res));
    res.status(204).end();
  });
  return router;
}

import type * as Api from '@gibbon/contracts';
import { InputError } from '@gibbon/contracts';
import { Router, type Request } from 'express';
import type { Services } from '../services';
import { buildJson } from './build-json';
import { principalOf } from '../http/auth.middleware';
import { bodyOf, pathParam } from '../http/mappers';

/** The `{number}` path parameter (the validator already checked it is an integer ≥ 1). */
export function buildNumberOf(req: Request): number {
  const number = Number(pathParam(req, 'number'));
  if (!Number.isSafeInteger(number) || number < 1) {
    throw new InputError('The build number must be a whole number from 1.');
  }
  return number;
}

export function buildsRoutes(services: Services): Router {
  const router = Router();
  const builds = services.builds;
  const base = '/v1/orgs/:org/repos/:repo/builds';
  router.post(base, async (req, res) => {
    const build = await builds.trigger(
      pathParam(req, 'org'),
      pathParam(req, 'repo'),
      bodyOf<Api.BuildTrigger>(req),
    );
    res.status(201).json(buildJson(build));
  });
  router.get(base, async (req, res) => {
    const limit = Number(req.query.limit ?? 20);
    const cursor = typeof req.query.cursor === 'string' ? req.query.cursor : undefined;
    const page = await builds.list(pathParam(req, 'org'), pathParam(req, 'repo'), limit, cursor);
    res.json({
      items: page.items.map(buildJson),
      nextCursor: page.nextCursor,
    } satisfies Api.BuildList);
  });
  router.get(`${base}/:number`, async (req, res) => {
    res.json(
      buildJson(
        await builds.get(pathParam(req, 'org'), pathParam(req, 'repo'), buildNumberOf(req)),
      ),
    );
  });
  router.post(`${base}/:number/cancel`, async (req, res) => {
    res.json(
      buildJson(
        await builds.cancel(
          pathParam(req, 'org'),
          pathParam(req, 'repo'),
          buildNumberOf(req),
          principalOf(res),
        ),
      ),
    );
  });
  router.post(`${base}/:number/retry`, async (req, res) => {
    const build = await builds.retry(
      pathParam(req, 'org'),
      pathParam(req, 'repo'),
      buildNumberOf(req),
      req.query.failed === 'true' || (req.query.failed as unknown) === true,
      principalOf(res),
    );
    res.status(201).json(buildJson(build));
  });
  for (const verdict of ['approved', 'rejected'] as const) {
    const action = verdict === 'approved' ? 'approve' : 'reject';
    router.post(`${base}/:number/jobs/:jobId/${action}`, async (req, res) => {
      const body = (req.body ?? {}) as Api.ApprovalRequest;
      const build = await services.jobApprovals.decide(
        pathParam(req, 'org'),
        pathParam(req, 'repo'),
        buildNumberOf(req),
        pathParam(req, 'jobId'),
        verdict,
        principalOf(res),
        body.comment,
      );
      res.json(buildJson(build));
    });
  }
  return router;
}

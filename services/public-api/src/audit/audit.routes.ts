import type * as Api from '@gibbon/contracts';
import { Router, type Request } from 'express';
import type { Services } from '../services';
import { pathParam } from '../http/mappers';
import { auditEntryJson } from './audit-entry';

function pageOf(req: Request): { limit: number; cursor: string | undefined } {
  const cursor = typeof req.query.cursor === 'string' ? req.query.cursor : undefined;
  return { limit: Number(req.query.limit ?? 20), cursor };
}

/**
 * The audit log: an org's (`admin`, or that org's `org-admin`: the token kinds and the org
 * check of `authenticate` keep everyone else out) and the whole log (`admin` only).
 */
export function auditRoutes(services: Services): Router {
  const router = Router();
  const answer = async (org: string | undefined, req: Request): Promise<Api.AuditList> => {
    const { limit, cursor } = pageOf(req);
    const page = await services.audit.list(org, limit, cursor);
    return { items: page.items.map(auditEntryJson), nextCursor: page.nextCursor };
  };
  router.get('/v1/orgs/:org/audit', async (req, res) => {
    const org = pathParam(req, 'org');
    await services.orgs.get(org);
    res.json(await answer(org, req));
  });
  router.get('/v1/audit', async (req, res) => {
    res.json(await answer(undefined, req));
  });
  return router;
}

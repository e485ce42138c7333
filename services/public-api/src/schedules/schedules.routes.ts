import type { ScheduleCreate, ScheduleUpdate } from '@gibbon/contracts';
import { Router } from 'express';
import type { Services } from '../services';
import { principalOf } from '../http/auth.middleware';
import { bodyOf, pathParam } from '../http/mappers';
import { runView } from './schedules.service';

export function schedulesRoutes(services: Services): Router {
  const router = Router();
  const base = '/v1/orgs/:org/repos/:repo/schedules';
  const one = `${base}/:scheduleId`;
  const where = (req: Parameters<typeof pathParam>[0]) =>
    [pathParam(req, 'org'), pathParam(req, 'repo')] as const;
  router.post(base, async (req, res) => {
    const body = bodyOf<ScheduleCreate>(req);
    res.status(201).json(await services.schedules.create(...where(req), body, principalOf(res)));
  });
  router.get(base, async (req, res) => {
    res.json({ items: await services.schedules.list(...where(req)) });
  });
  router.get(one, async (req, res) => {
    res.json(await services.schedules.get(...where(req), pathParam(req, 'scheduleId')));
  });
  router.patch(one, async (req, res) => {
    const id = pathParam(req, 'scheduleId');
    const body = bodyOf<ScheduleUpdate>(req);
    res.json(await services.schedules.update(...where(req), id, body, principalOf(res)));
  });
  router.delete(one, async (req, res) => {
    const id = pathParam(req, 'scheduleId');
    await services.schedules.delete(...where(req), id, principalOf(res));
    res.status(204).end();
  });
  router.get(`${one}/runs`, async (req, res) => {
    const runs = await services.schedules.runs(...where(req), pathParam(req, 'scheduleId'));
    res.json({ items: runs.map(runView) });
  });
  return router;
}

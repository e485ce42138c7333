import type { OrgEvent } from '@gibbon/contracts';
import { Router } from 'express';
import type { Services } from '../services';
import { pathParam } from '../http/mappers';

/**
 * `GET /v1/orgs/{org}/events`: server-sent events of build and job status changes, pushed
 * from the hub as they are stored, with a `: keep-alive` comment every `keepAliveMs`.
 */
export function eventsRoutes(services: Services, keepAliveMs: number): Router {
  const router = Router();
  router.get('/v1/orgs/:org/events', async (req, res) => {
    const org = pathParam(req, 'org');
    await services.orgs.get(org);
    const repo = typeof req.query.repo === 'string' ? req.query.repo : undefined;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
    });
    res.write(': connected\n\n');
    const send = (event: OrgEvent) => {
      if (event.org !== org || (repo !== undefined && event.repo !== repo)) return;
      res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
    };
    const unsubscribe = services.hub.onStatus(send);
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), keepAliveMs);
    const unsubscribeClosing = services.hub.onClosing(() => res.end());
    res.on('close', () => {
      unsubscribe();
      unsubscribeClosing();
      clearInterval(keepAlive);
    });
  });
  return router;
}

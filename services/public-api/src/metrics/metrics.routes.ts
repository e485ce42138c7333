import { timingSafeEqual } from 'node:crypto';
import { AuthenticationError, NotFoundError } from '@gibbon/contracts';
import { Router } from 'express';
import type { ApiMetrics } from './api-metrics';

function sameToken(header: string | undefined, token: string): boolean {
  const sent = /^Bearer (\S+)$/i.exec(header?.trim() ?? '')?.[1];
  if (sent === undefined) return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * `GET /metrics` (Prometheus text format), guarded by its own token, `GIBBON_METRICS_TOKEN`:
 * metrics are off (404 saying how to turn them on) until it is set, and a scrape without it
 * is 401. No API token opens it, and the metrics token opens nothing else.
 */
export function metricsRoutes(metrics: ApiMetrics, metricsToken: string | undefined): Router {
  const router = Router();
  router.get('/metrics', async (req, res) => {
    if (metricsToken === undefined) {
      throw new NotFoundError(
        'Metrics are off: set GIBBON_METRICS_TOKEN on public-api, then scrape GET /metrics with "Authorization: Bearer <that token>".',
      );
    }
    if (!sameToken(req.get('authorization'), metricsToken)) {
      throw new AuthenticationError(
        'GET /metrics needs the metrics token (GIBBON_METRICS_TOKEN) as "Authorization: Bearer <token>".',
      );
    }
    res.type(metrics.registry.contentType).send(await metrics.exposition());
  });
  return router;
}

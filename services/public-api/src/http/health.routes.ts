import type { OpenApiDocument } from '@gibbon/contracts';
import { Router } from 'express';

export function healthRoutes(document: OpenApiDocument): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/v1/openapi.json', (_req, res) => {
    res.json(document);
  });
  return router;
}

import type * as Api from '@gibbon/contracts';
import { PayloadTooLargeError } from '@gibbon/contracts';
import express, { Router, type RequestHandler } from 'express';
import type { Services } from '../../services';
import { buildJson } from '../../builds/build-json';
import { pathParam } from '../mappers';

/** GitHub's own cap on a delivery (spec section 5: 413 beyond). */
export const webhookBodyLimitBytes = 25 * 1024 * 1024;

/** The raw bytes, whatever the content type: the signature covers exactly these. */
function rawBody(): RequestHandler {
  const raw = express.raw({ type: () => true, limit: webhookBodyLimitBytes });
  return (req, res, next) => {
    raw(req, res, (error?: unknown) => {
      if ((error as { type?: string } | undefined)?.type === 'entity.too.large') {
        return next(
          new PayloadTooLargeError('A webhook delivery is at most 25 MB.', { cause: error }),
        );
      }
      next(error);
    });
  };
}

/**
 * `POST /webhooks/github/{webhookId}`. Mounted before the JSON parser and the OpenAPI
 * validator: the body must stay raw bytes until the signature is checked (the service then
 * parses it; `src/github/README.md`).
 */
export function webhookDeliveryRoutes(services: Services): Router {
  const router = Router();
  router.post('/webhooks/github/:webhookId', rawBody(), async (req, res) => {
    const body: unknown = req.body;
    const answer = await services.buildSide.webhooks.receive(pathParam(req, 'webhookId'), {
      rawBody: Buffer.isBuffer(body) ? body : Buffer.alloc(0),
      event: req.get('x-github-event'),
      deliveryId: req.get('x-github-delivery'),
      signature: req.get('x-hub-signature-256'),
    });
    if (answer.kind === 'ignored') {
      const ignored: Api.WebhookIgnored = {
        delivery: answer.delivery,
        ignored: true,
        reason: answer.reason,
      };
      res.status(202).json(ignored);
      return;
    }
    const accepted: Api.WebhookAccepted = {
      delivery: answer.delivery,
      build: answer.build && buildJson(answer.build),
    };
    res.status(200).json(accepted);
  });
  return router;
}

/** `POST /v1/orgs/{org}/repos/{repo}/webhooks`: the secret is in this answer only. */
export function webhooksRoutes(services: Services): Router {
  const router = Router();
  router.post('/v1/orgs/:org/repos/:repo/webhooks', async (req, res) => {
    const created = await services.buildSide.webhooks.create(
      pathParam(req, 'org'),
      pathParam(req, 'repo'),
    );
    res.status(201).json(created satisfies Api.WebhookCreated);
  });
  return router;
}

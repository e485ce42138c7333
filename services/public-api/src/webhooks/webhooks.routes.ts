import type * as Api from '@gibbon/contracts';
import { Router } from 'express';
import type { Services } from '../services';
import { buildJson } from '../builds';
import { rawBody } from '../http/body/body-parsers';
import { principalOf } from '../http/auth.middleware';
import { pathParam } from '../http/mappers';
import { deliveryMetrics, setDeliveryResult } from '../metrics';
import type { ListedDelivery } from './webhooks.repository';

/** GitHub's own cap on a delivery (spec section 5: 413 beyond). */
export const webhookBodyLimitBytes = 25 * 1024 * 1024;

/**
 * `POST /webhooks/github/{webhookId}`. Mounted before the JSON parser and the OpenAPI
 * validator: the body must stay raw bytes, whatever the content type, until the signature is
 * checked (the service then parses it; `src/github/README.md`). The route needs no token, so
 * its body is bounded in size (413 as soon as it passes 25 MB) and in time (`bodyTimeoutMs`,
 * then 408); either answer ends the connection.
 */
export function webhookDeliveryRoutes(services: Services, bodyTimeoutMs: number): Router {
  const router = Router();
  const body = rawBody({
    maxBytes: webhookBodyLimitBytes,
    tooLargeMessage: 'A webhook delivery is at most 25 MB.',
    deadlineMs: bodyTimeoutMs,
  });
  router.post(
    '/webhooks/github/:webhookId',
    deliveryMetrics(services.metrics),
    body,
    async (req, res) => {
      const body: unknown = req.body;
      const answer = await services.webhooks.receive(pathParam(req, 'webhookId'), {
        rawBody: Buffer.isBuffer(body) ? body : Buffer.alloc(0),
        event: req.get('x-github-event'),
        deliveryId: req.get('x-github-delivery'),
        signature: req.get('x-hub-signature-256'),
      });
      if (answer.kind === 'ignored') {
        setDeliveryResult(res, 'ignored');
        const ignored: Api.WebhookIgnored = {
          delivery: answer.delivery,
          ignored: true,
          reason: answer.reason,
        };
        res.status(202).json(ignored);
        return;
      }
      setDeliveryResult(res, answer.build ? 'build' : 'ping');
      const accepted: Api.WebhookAccepted = {
        delivery: answer.delivery,
        build: answer.build && buildJson(answer.build),
      };
      res.status(200).json(accepted);
    },
  );
  return router;
}

function deliveryJson(row: ListedDelivery): Api.Delivery {
  return {
    id: row.id,
    webhookId: row.webhook_id,
    event: row.event,
    receivedAt: row.received_at,
    outcome: row.outcome,
    reason: row.reason,
    build:
      row.build_id !== null && row.build_number !== null
        ? { id: row.build_id, number: row.build_number }
        : null,
  };
}

/**
 * `POST /v1/orgs/{org}/repos/{repo}/webhooks` (the secret is in this answer only) and
 * `GET /v1/orgs/{org}/repos/{repo}/deliveries`.
 */
export function webhooksRoutes(services: Services): Router {
  const router = Router();
  router.get('/v1/orgs/:org/repos/:repo/deliveries', async (req, res) => {
    const cursor = typeof req.query.cursor === 'string' ? req.query.cursor : undefined;
    const page = await services.webhooks.listDeliveries(
      pathParam(req, 'org'),
      pathParam(req, 'repo'),
      Number(req.query.limit ?? 20),
      cursor,
    );
    const list: Api.DeliveryList = {
      items: page.items.map(deliveryJson),
      nextCursor: page.nextCursor,
    };
    res.json(list);
  });
  router.post('/v1/orgs/:org/repos/:repo/webhooks', async (req, res) => {
    const created = await services.webhooks.create(
      pathParam(req, 'org'),
      pathParam(req, 'repo'),
      principalOf(res),
    );
    res.status(201).json(created satisfies Api.WebhookCreated);
  });
  return router;
}

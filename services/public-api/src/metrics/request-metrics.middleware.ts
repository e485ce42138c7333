import type { RequestHandler, Response } from 'express';
import type { ApiMetrics, DeliveryResult } from './api-metrics';

/**
 * Times every request into `gibbon_http_request_duration_seconds`. The route is the
 * documented template `routeOf` gives (never the raw path, which holds ids and slugs).
 */
export function requestMetrics(
  metrics: ApiMetrics,
  routeOf: (res: Response) => string,
): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.observeRequest(req.method, routeOf(res), res.statusCode, seconds);
    });
    next();
  };
}

interface DeliveryLocals {
  deliveryResult?: DeliveryResult;
}

/** The webhook route says how a delivery it answered ended; refusals are read off the status. */
export function setDeliveryResult(res: Response, result: DeliveryResult): void {
  (res.locals as DeliveryLocals).deliveryResult = result;
}

const refusals: Readonly<Record<number, DeliveryResult>> = {
  400: 'invalid',
  401: 'rejected_signature',
  404: 'unknown_webhook',
  408: 'timeout',
  413: 'too_large',
};

/** Counts each delivery once it is answered, whatever part of the pipeline answered it. */
export function deliveryMetrics(metrics: ApiMetrics): RequestHandler {
  return (_req, res, next) => {
    res.on('finish', () => {
      const result =
        (res.locals as DeliveryLocals).deliveryResult ?? refusals[res.statusCode] ?? 'error';
      metrics.webhookDelivered(result);
    });
    next();
  };
}

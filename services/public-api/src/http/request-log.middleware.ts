import { randomUUID } from 'node:crypto';
import { withLogFields } from '@gibbon/logging';
import type { RequestHandler } from 'express';
import type { Logger } from '../logger';
import { contextOf } from './auth.middleware';

/** An `X-Request-Id` a proxy sent is kept when it is this plain; otherwise a new one is made. */
const requestIdPattern = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * Each request gets an id: the `X-Request-Id` of a proxy in front when it is plain (letters,
 * digits, `._:-`, at most 64), else a new UUID. It is answered in `X-Request-Id` and is on every
 * log line written while the request is served (`withLogFields`), so a failure's lines can be
 * found from the id a user reports.
 *
 * Then one line per request, at `debug` (`GIBBON_LOG_LEVEL=debug` shows them) or `error` for an
 * answer of 500 and above (the error handler logs the reason beside it): method, the documented
 * route (a template, so no ids or slugs leak), status and duration. Headers, query strings and
 * bodies are never logged, so tokens and secret values cannot appear.
 */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const sent = req.get('x-request-id');
    const requestId = sent !== undefined && requestIdPattern.test(sent) ? sent : randomUUID();
    res.set('x-request-id', requestId);
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.log(res.statusCode >= 500 ? 'error' : 'debug', 'request', {
        requestId,
        method: req.method,
        route: contextOf(res).matched?.operation.path ?? 'unmatched',
        status: res.statusCode,
        ms: Math.round(ms * 100) / 100,
      });
    });
    withLogFields({ requestId }, next);
  };
}

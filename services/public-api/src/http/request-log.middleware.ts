import type { RequestHandler } from 'express';
import type { Logger } from '../logger';
import { contextOf } from './auth.middleware';

/**
 * One log line per request: method, the documented route (a template, so no ids or slugs
 * leak into metrics), status and duration. Headers, query strings and bodies are never
 * logged, so tokens and secret values cannot appear.
 */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.log(res.statusCode >= 500 ? 'error' : 'info', 'request', {
        method: req.method,
        route: contextOf(res).matched?.operation.path ?? 'unmatched',
        status: res.statusCode,
        ms: Math.round(ms * 100) / 100,
      });
    });
    next();
  };
}

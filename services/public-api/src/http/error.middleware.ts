import {
  describeStatusError,
  errorAnswerOf,
  errorBodyOf,
  isStatusError,
  type ErrorAnswer,
} from '@gibbon/contracts';
import type { ErrorRequestHandler } from 'express';
import type { Logger } from '../logger';
import { contextOf } from './auth.middleware';
import { BodyTimeoutError, UnsupportedBodyError } from './body/body-errors';
import { lingerAfterAnswer } from './body/linger';
import { hasBody } from './body/read-body';

/**
 * Every error becomes its answer through `errorAnswerOf`, the helper both servers share (the one
 * status table of `@gibbon/contracts`, the validator's errors as domain errors). public-api's
 * own body reader adds two: a late body (408) and an undecodable one (415), input errors with
 * their own status.
 */
function toAnswer(error: unknown): ErrorAnswer {
  if (error instanceof BodyTimeoutError) return { status: 408, body: errorBodyOf(error) };
  if (error instanceof UnsupportedBodyError) return { status: 415, body: errorBodyOf(error) };
  return errorAnswerOf(error);
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const route = contextOf(res).matched?.operation.path ?? 'unmatched';
    if (res.headersSent) {
      // A stream that failed half-way (a log chunk missing from storage): the client can only
      // be told by a cut connection, which an incomplete chunked answer is.
      logger.log('error', 'request failed after its answer started', {
        method: req.method,
        route,
        error,
      });
      res.destroy();
      return;
    }
    const answer = toAnswer(error);
    if (answer.status >= 500) {
      const details = isStatusError(error) ? describeStatusError(error) : undefined;
      logger.log('error', 'request failed', { method: req.method, route, details, error });
    }
    // Refused before its body arrived (too large, too slow, no token): the connection ends with
    // the answer, in a way the client can still read it, and the rest of the body is bounded.
    if (hasBody(req) && !req.complete) lingerAfterAnswer(req, res);
    res.set(answer.headers ?? {});
    res.status(answer.status).json(answer.body);
  };
}

import {
  AuthenticationError,
  errorBodyOf,
  httpStatusOf,
  InputError,
  NotFoundError,
  type ErrorBody,
} from '@gibbon/contracts';
import type { ErrorRequestHandler } from 'express';
import type { Logger } from '../logger';
import { contextOf } from './auth.middleware';
import { BodyTimeoutError, UnsupportedBodyError } from './body/body-errors';
import { lingerAfterAnswer } from './body/linger';
import { hasBody } from './body/read-body';

interface HttpAnswer {
  readonly status: number;
  readonly body: ErrorBody;
}

interface VendorHttpError {
  status: number;
  errors?: { path?: string; message?: string }[];
  message: string;
}

function isVendorHttpError(error: unknown): error is VendorHttpError {
  return error instanceof Error && typeof (error as Partial<VendorHttpError>).status === 'number';
}

function describeValidation(error: VendorHttpError): string {
  const details = (error.errors ?? [])
    .slice(0, 5)
    .map((e) => `${e.path ?? ''} ${e.message ?? ''}`.trim());
  return details.length > 0 ? `Invalid request: ${details.join('; ')}.` : error.message;
}

/**
 * Vendor errors (express-openapi-validator) become domain errors here, at the edge, so the one
 * status table of `@gibbon/contracts` decides every answer. The exceptions are statuses the
 * domain has no class for: 405 keeps its status with code `not_found`; a late body (408) and
 * an undecodable one (415) are input errors with their own status.
 */
function toAnswer(error: unknown): HttpAnswer {
  if (error instanceof BodyTimeoutError) return { status: 408, body: errorBodyOf(error) };
  if (error instanceof UnsupportedBodyError) return { status: 415, body: errorBodyOf(error) };
  if (!isVendorHttpError(error)) return { status: httpStatusOf(error), body: errorBodyOf(error) };
  if (error.status === 405) {
    return { status: 405, body: { error: { code: 'not_found', message: `${error.message}.` } } };
  }
  if (error.status === 401) return toAnswer(new AuthenticationError(error.message));
  if (error.status === 404)
    return toAnswer(new NotFoundError('No such operation; see GET /v1/openapi.json.'));
  if (error.status >= 400 && error.status < 500) {
    return {
      status: error.status === 415 ? 415 : 400,
      body: errorBodyOf(new InputError(describeValidation(error))),
    };
  }
  return { status: 500, body: errorBodyOf(error) };
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
      const details = isVendorHttpError(error) ? describeValidation(error) : undefined;
      logger.log('error', 'request failed', { method: req.method, route, details, error });
    }
    // Refused before its body arrived (too large, too slow, no token): the connection ends with
    // the answer, in a way the client can still read it, and the rest of the body is bounded.
    if (hasBody(req) && !req.complete) lingerAfterAnswer(req, res);
    res.status(answer.status).json(answer.body);
  };
}

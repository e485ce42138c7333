import {
  AuthenticationError,
  errorBodyOf,
  httpStatusOf,
  InputError,
  NotFoundError,
  PayloadTooLargeError,
  type ErrorBody,
} from '@gibbon/contracts';
import type { ErrorRequestHandler } from 'express';
import type { Logger } from '../logger';
import { contextOf } from './auth.middleware';

interface HttpAnswer {
  readonly status: number;
  readonly body: ErrorBody;
}

interface VendorHttpError {
  status: number;
  type?: unknown;
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
 * Vendor errors (body-parser, express-openapi-validator) become domain errors here, at the
 * edge, so the one status table of `@gibbon/contracts` decides every answer. The exception is
 * 405, which the domain has no class for: it keeps its status with code `not_found`.
 */
function toAnswer(error: unknown): HttpAnswer {
  if (!isVendorHttpError(error)) return { status: httpStatusOf(error), body: errorBodyOf(error) };
  if (error.type === 'entity.too.large' || error.status === 413) {
    return toAnswer(
      new PayloadTooLargeError('The body is larger than the 1 MiB this operation accepts.'),
    );
  }
  if (error.type === 'entity.parse.failed')
    return toAnswer(new InputError('The body is not valid JSON.'));
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
  return (error: unknown, req, res, next) => {
    if (res.headersSent) return next(error);
    const answer = toAnswer(error);
    if (answer.status >= 500) {
      const details = isVendorHttpError(error) ? describeValidation(error) : undefined;
      logger.log('error', 'request failed', {
        method: req.method,
        route: contextOf(res).matched?.operation.path ?? 'unmatched',
        details,
        error,
      });
    }
    res.status(answer.status).json(answer.body);
  };
}

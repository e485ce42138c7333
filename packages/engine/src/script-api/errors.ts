import type { ErrorRequestHandler } from 'express';
import {
  AuthenticationError,
  errorBodyOf,
  GibbonError,
  httpStatusOf,
  InputError,
  NotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
} from '@gibbon/contracts/core';

/** Errors of express, body-parser and the OpenAPI validator carry a `status`; map them to ours. */
function domainErrorOf(error: unknown): unknown {
  if (error instanceof GibbonError) return error;
  const status = (error as { status?: number } | undefined)?.status;
  const message = error instanceof Error ? error.message : 'Invalid request.';
  switch (status) {
    case 400:
    case 415:
      return new InputError(message, { cause: error });
    case 401:
      return new AuthenticationError(message, { cause: error });
    case 403:
      return new NotAllowedError(message, { cause: error });
    case 404:
    case 405:
      return new NotFoundError(message, { cause: error });
    case 413:
      return new PayloadTooLargeError(message, { cause: error });
    default:
      return error;
  }
}

/** The one error middleware of the Script API: domain error → status and `{error}` body. */
export const errorHandler: ErrorRequestHandler = (error: unknown, _req, res, next) => {
  if (res.headersSent) return next(error);
  const domain = domainErrorOf(error);
  res.status(httpStatusOf(domain)).json(errorBodyOf(domain));
};

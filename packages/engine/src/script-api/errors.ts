import type { ErrorRequestHandler } from 'express';
import { errorAnswerOf } from '@gibbon/contracts';

/**
 * The one error middleware of the Script API: the answer `errorAnswerOf` gives, the same helper
 * public-api answers with (domain errors by the status table, the validator's and express's
 * status errors as domain errors; 405 and 415 keep their status).
 */
export const errorHandler: ErrorRequestHandler = (error: unknown, _req, res, next) => {
  if (res.headersSent) return next(error);
  const { status, body, headers } = errorAnswerOf(error);
  res.set(headers ?? {});
  res.status(status).json(body);
};

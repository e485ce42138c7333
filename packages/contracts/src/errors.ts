/**
 * The domain errors of Gibbon CI. Adapters translate vendor errors into these at their edge
 * (S3 `NoSuchKey` → `NotFoundError`, a unique-constraint violation → `ConflictError`), and
 * one table maps them to HTTP statuses (`httpStatusOf`). Every error carries a message a user
 * can act on and keeps its `cause`.
 */

/** The machine-readable `error.code` of an API error body. */
export type ErrorCode =
  | 'invalid_input'
  | 'unauthenticated'
  | 'not_allowed'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'unprocessable'
  | 'internal';

/** The body of every error answer of the public, runner and Script APIs. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}

export abstract class GibbonError extends Error {
  abstract readonly code: ErrorCode;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The caller sent something malformed or out of range. */
export class InputError extends GibbonError {
  readonly code = 'invalid_input';
}

/** No credentials, or credentials that are not valid (bad, expired, wrong type). */
export class AuthenticationError extends GibbonError {
  readonly code = 'unauthenticated';
}

/** Valid credentials that do not permit this operation. */
export class NotAllowedError extends GibbonError {
  readonly code = 'not_allowed';
}

export class NotFoundError extends GibbonError {
  readonly code = 'not_found';
}

/** The request conflicts with the current state (duplicate name, stale lease). */
export class ConflictError extends GibbonError {
  readonly code = 'conflict';
}

/** The body is larger than the operation accepts. */
export class PayloadTooLargeError extends GibbonError {
  readonly code = 'payload_too_large';
}

/** Well-formed input that cannot be acted on (a build script whose job graph has a cycle). */
export class UnprocessableError extends GibbonError {
  readonly code = 'unprocessable';
}

const httpStatusByCode = {
  invalid_input: 400,
  unauthenticated: 401,
  not_allowed: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unprocessable: 422,
  internal: 500,
} as const satisfies Record<ErrorCode, number>;

/** The one table from domain errors to HTTP statuses. Anything else is a 500. */
export function httpStatusOf(error: unknown): number {
  return error instanceof GibbonError ? httpStatusByCode[error.code] : 500;
}

/** The API error body for `error`; unknown errors never leak their message. */
export function errorBodyOf(error: unknown): ErrorBody {
  if (error instanceof GibbonError) {
    return { error: { code: error.code, message: error.message } };
  }
  return { error: { code: 'internal', message: 'Internal error; the server log has details.' } };
}

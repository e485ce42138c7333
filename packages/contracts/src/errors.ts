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
  | 'gone'
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

/**
 * It existed and was deleted on purpose (a log or artifact under the org's retention policy,
 * services/public-api/README.md "Retention"): asking again will not help, unlike a 404.
 */
export class GoneError extends GibbonError {
  readonly code = 'gone';
}

/**
 * The server failed (a 5xx answer, or 429), or could not be reached: the same call may work
 * later. Clients raise it; a server answering with it answers 500 (`internal`).
 */
export class UnavailableError extends GibbonError {
  readonly code = 'internal';
}

const httpStatusByCode = {
  invalid_input: 400,
  unauthenticated: 401,
  not_allowed: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unprocessable: 422,
  gone: 410,
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

type ErrorClass = new (message: string, options?: { cause?: unknown }) => GibbonError;

const errorClassByCode: Record<ErrorCode, ErrorClass> = {
  invalid_input: InputError,
  unauthenticated: AuthenticationError,
  not_allowed: NotAllowedError,
  not_found: NotFoundError,
  conflict: ConflictError,
  payload_too_large: PayloadTooLargeError,
  unprocessable: UnprocessableError,
  gone: GoneError,
  internal: UnavailableError,
};

/** The status table read backwards: 404 → `not_found`. 500 and anything unlisted → `internal`. */
const codeByHttpStatus = new Map<number, ErrorCode>(
  Object.entries(httpStatusByCode).map(([code, status]) => [status, code as ErrorCode]),
);

function errorBodyIn(text: string): ErrorBody['error'] | undefined {
  try {
    const error = (JSON.parse(text) as Partial<ErrorBody> | null)?.error;
    const known = typeof error?.code === 'string' && error.code in errorClassByCode;
    return known && typeof error.message === 'string' ? error : undefined;
  } catch {
    return undefined; // not JSON: a proxy's error page, or an empty body
  }
}

/** A proxy's answer, by its first line (at most 200 characters). */
function withoutErrorBody(status: number, bodyText: string): string {
  const firstLine = bodyText.trim().split('\n', 1)[0]?.slice(0, 200) ?? '';
  return firstLine === ''
    ? `the server answered ${status} without an error body`
    : `the server answered ${status}: ${firstLine}`;
}

/**
 * The one way back from an error answer of any Gibbon API to the domain error it came from,
 * the inverse of `httpStatusOf`/`errorBodyOf`. A 5xx or 429 is an `UnavailableError` whatever
 * its body says (a failing server may be asked again); otherwise the class that the body's
 * `error.code` names, or, without a contract body (a proxy answered), the class of the status;
 * a status the table lacks is an `UnavailableError` too. The message starts with `context`
 * (what the caller was doing) and ends with the status and code.
 */
export function errorOfAnswer(
  context: string,
  status: number,
  bodyText: string,
  /** What the caller's user can do about an error of a code, put after the server's words. */
  hints: Partial<Record<ErrorCode, string>> = {},
): GibbonError {
  const body = errorBodyIn(bodyText);
  // A failing server (or the proxy before it) may be asked again, whatever its body says.
  const failing = status >= 500 || status === 429;
  const code = failing ? 'internal' : (body?.code ?? codeByHttpStatus.get(status) ?? 'internal');
  const said = body?.message ?? withoutErrorBody(status, bodyText);
  const hint = hints[code] === undefined ? '' : ` ${hints[code]}`;
  return new errorClassByCode[code](`${context}: ${said}${hint} (${status} ${code})`);
}

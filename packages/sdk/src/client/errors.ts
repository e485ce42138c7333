/**
 * Translates a Script API error answer (`{"error": {"code", "message"}}`, spec section 4) back
 * into the domain error it came from, so callers catch `NotFoundError` and not status numbers.
 */
import {
  AuthenticationError,
  ConflictError,
  type ErrorCode,
  type GibbonError,
  InputError,
  NotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  UnprocessableError,
} from '../contracts';

type DomainErrorClass = new (message: string, options?: { cause?: unknown }) => GibbonError;

const classByCode: Partial<Record<ErrorCode, DomainErrorClass>> = {
  invalid_input: InputError,
  unauthenticated: AuthenticationError,
  not_allowed: NotAllowedError,
  not_found: NotFoundError,
  conflict: ConflictError,
  payload_too_large: PayloadTooLargeError,
  unprocessable: UnprocessableError,
};

const codeByStatus: Record<number, ErrorCode> = {
  400: 'invalid_input',
  401: 'unauthenticated',
  403: 'not_allowed',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  422: 'unprocessable',
};

/** Thrown for answers that map to no domain error (5xx, garbage bodies). */
export class ScriptApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ScriptApiError';
  }
}

function bodyError(body: string): { code?: string; message?: string } {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: string; message?: string } };
    return parsed.error ?? {};
  } catch {
    return {};
  }
}

export function errorFromAnswer(operation: string, status: number, body: string): Error {
  const { code, message } = bodyError(body);
  const text = `${operation} answered ${status}: ${message ?? (body.slice(0, 200) || 'no body')}`;
  const statusCode = codeByStatus[status];
  const ErrorClass =
    classByCode[code as ErrorCode] ??
    (statusCode === undefined ? undefined : classByCode[statusCode]);
  return ErrorClass ? new ErrorClass(text) : new ScriptApiError(text, status);
}

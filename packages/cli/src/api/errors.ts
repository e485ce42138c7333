import {
  AuthenticationError,
  ConflictError,
  GibbonError,
  InputError,
  NotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  UnprocessableError,
  type ErrorCode,
} from '@gibbon/contracts/core';

type ErrorClass = new (message: string, options?: ErrorOptions) => GibbonError;

const byCode: Record<ErrorCode, ErrorClass> = {
  invalid_input: InputError,
  unauthenticated: AuthenticationError,
  not_allowed: NotAllowedError,
  not_found: NotFoundError,
  conflict: ConflictError,
  payload_too_large: PayloadTooLargeError,
  unprocessable: UnprocessableError,
  internal: UnprocessableError,
};

function isErrorBody(value: unknown): value is { error: { code: ErrorCode; message: string } } {
  const error = (value as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return typeof error?.code === 'string' && typeof error.message === 'string';
}

/**
 * The domain error of a non-2xx answer: the API's own message when the body is the contract's
 * `{ error: { code, message } }`, else the status with a hint (a proxy, the wrong URL).
 */
export async function errorOfResponse(response: Response, what: string): Promise<GibbonError> {
  const text = await response.text().catch(() => '');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (isErrorBody(body)) {
    const ErrorType = byCode[body.error.code] ?? UnprocessableError;
    return new ErrorType(`${what}: ${body.error.message} (${response.status} ${body.error.code})`);
  }
  const hint = response.status === 401 ? ' Check GIBBON_TOKEN.' : '';
  return new UnprocessableError(
    `${what}: the server answered ${response.status} ${response.statusText}.${hint}`,
  );
}

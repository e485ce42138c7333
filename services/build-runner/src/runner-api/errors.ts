import {
  AuthenticationError,
  ConflictError,
  type GibbonError,
  InputError,
  NotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  UnprocessableError,
} from '@gibbon/contracts';

/**
 * public-api could not be reached or answered with a server error (5xx, 429): the call may
 * succeed if repeated. Everything else the runner API answers maps onto a domain error.
 */
export class RunnerApiUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RunnerApiUnavailableError';
  }
}

type DomainErrorClass = new (message: string, options?: { cause?: unknown }) => GibbonError;

const errorByStatus: Readonly<Record<number, DomainErrorClass>> = {
  400: InputError,
  401: AuthenticationError,
  403: NotAllowedError,
  404: NotFoundError,
  409: ConflictError,
  413: PayloadTooLargeError,
  422: UnprocessableError,
};

/** The error body's message when there is one; the status line otherwise. */
function serverMessage(status: number, body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown } };
    if (typeof parsed.error?.message === 'string') return parsed.error.message;
  } catch {
    // Not JSON (a proxy's error page): fall through to the status.
  }
  return `HTTP ${status}`;
}

/**
 * Translates a non-2xx answer into the error a caller acts on: `ConflictError` means the lease
 * is no longer ours, `RunnerApiUnavailableError` means try again later.
 */
export function errorOfAnswer(operation: string, status: number, body: string): Error {
  const message = `${operation}: ${serverMessage(status, body)}`;
  const ErrorClass = errorByStatus[status];
  if (ErrorClass) return new ErrorClass(message);
  return new RunnerApiUnavailableError(`${message} (HTTP ${status})`);
}

/** Whether repeating the call later may succeed. */
export function isRetryable(error: unknown): boolean {
  return error instanceof RunnerApiUnavailableError;
}

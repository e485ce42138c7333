import {
  AuthenticationError,
  errorBodyOf,
  GibbonError,
  httpStatusOf,
  InputError,
  NotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  type ErrorBody,
} from './errors';

/** The status and body a Gibbon server answers an error with. */
export interface ErrorAnswer {
  readonly status: number;
  readonly body: ErrorBody;
  /** Headers the answer must carry: `Allow` on a 405. */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * An error of the HTTP layer (express, its body parsers, the request validator of
 * `@gibbon/contracts/validation`): it names the status it wants, and the validator adds the
 * failing fields.
 */
interface StatusError {
  readonly status: number;
  readonly message: string;
  readonly errors?: readonly { path?: string; message?: string }[];
  readonly headers?: Readonly<Record<string, string>>;
}

/** Whether `error` is a library's status error rather than a domain error. */
export function isStatusError(error: unknown): error is StatusError {
  return (
    error instanceof Error &&
    !(error instanceof GibbonError) &&
    typeof (error as Partial<StatusError>).status === 'number'
  );
}

/** The validator's field messages, at most five: "Invalid request: /body/slug must match …". */
export function describeStatusError(error: StatusError): string {
  const details = (error.errors ?? [])
    .slice(0, 5)
    .map((each) => `${each.path ?? ''} ${each.message ?? ''}`.trim())
    .filter((each) => each !== '');
  return details.length > 0 ? `Invalid request: ${details.join('; ')}.` : error.message;
}

/**
 * The answer to any error a request ends with, the same in every Gibbon server (public-api and
 * the Script API): a domain error by the one status table; a library's status error as the
 * domain error of its status, with the validator's field messages. Two statuses the domain has
 * no class for keep their own number: 405 (an undocumented method, code `not_found`) and 415
 * (a body of a type the operation does not take, code `invalid_input`). Any other error is a
 * 500 whose body says nothing of it.
 */
export function errorAnswerOf(error: unknown): ErrorAnswer {
  if (!isStatusError(error)) return { status: httpStatusOf(error), body: errorBodyOf(error) };
  const answer = (domain: GibbonError, status = httpStatusOf(domain)): ErrorAnswer => ({
    status,
    body: errorBodyOf(domain),
  });
  const { status } = error;
  if (status === 401) return answer(new AuthenticationError(error.message));
  if (status === 403) return answer(new NotAllowedError(error.message));
  if (status === 404) {
    return answer(new NotFoundError('No such operation; see GET /v1/openapi.json.'));
  }
  if (status === 405) {
    const allow = error.headers?.Allow;
    return {
      ...answer(new NotFoundError(`${error.message}.`), 405),
      ...(allow === undefined ? {} : { headers: { Allow: allow } }),
    };
  }
  if (status === 413) return answer(new PayloadTooLargeError(describeStatusError(error)));
  if (status === 415) return answer(new InputError(describeStatusError(error)), 415);
  if (status >= 400 && status < 500) return answer(new InputError(describeStatusError(error)));
  return { status: 500, body: errorBodyOf(error) };
}

import {
  AuthenticationError,
  ConflictError,
  errorBodyOf,
  errorOfAnswer,
  GibbonError,
  httpStatusOf,
  InputError,
  NotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  UnavailableError,
  UnprocessableError,
} from './errors';

describe('errorOfAnswer: an error answer back to its domain error', () => {
  const domainErrors: GibbonError[] = [
    new InputError('bad slug'),
    new AuthenticationError('no token'),
    new NotAllowedError('read token'),
    new NotFoundError('no such repo'),
    new ConflictError('stale lease'),
    new PayloadTooLargeError('too big'),
    new UnprocessableError('cycle'),
  ];

  it.each(domainErrors.map((error) => [error.name, error]))(
    'turns the answer a server gives for a %s into the same class and message',
    (_name, error) => {
      const back = errorOfAnswer(
        'Reading build 7',
        httpStatusOf(error),
        JSON.stringify(errorBodyOf(error)),
      );
      expect(back).toBeInstanceOf(error.constructor);
      expect(back.message).toBe(
        `Reading build 7: ${error.message} (${httpStatusOf(error)} ${error.code})`,
      );
    },
  );

  it("follows the body's code over the status", () => {
    const body = JSON.stringify({ error: { code: 'conflict', message: 'taken back' } });
    expect(errorOfAnswer('heartbeat', 400, body)).toBeInstanceOf(ConflictError);
  });

  it('reads the status when a proxy answered without a contract body', () => {
    const back = errorOfAnswer('Listing repositories', 404, 'Not Found\n<p>nginx</p>');
    expect(back).toBeInstanceOf(NotFoundError);
    expect(back.message).toBe(
      'Listing repositories: the server answered 404: Not Found (404 not_found)',
    );
    expect(errorOfAnswer('Listing repositories', 404, '').message).toBe(
      'Listing repositories: the server answered 404 without an error body (404 not_found)',
    );
    expect(errorOfAnswer('x', 401, '')).toBeInstanceOf(AuthenticationError);
    expect(errorOfAnswer('x', 413, '{"error":"too large"}')).toBeInstanceOf(PayloadTooLargeError);
  });

  it('makes a 5xx, a 429 and an unknown status an UnavailableError, which may pass if repeated', () => {
    for (const status of [500, 502, 503, 429, 418]) {
      expect(errorOfAnswer('post result', status, 'upstream down')).toBeInstanceOf(
        UnavailableError,
      );
    }
    const internal = JSON.stringify(errorBodyOf(new Error('secret detail')));
    const back = errorOfAnswer('post result', 500, internal);
    expect(back).toBeInstanceOf(UnavailableError);
    expect(back.message).toBe(
      'post result: Internal error; the server log has details. (500 internal)',
    );
    const conflict = JSON.stringify({ error: { code: 'conflict', message: 'busy' } });
    expect(errorOfAnswer('post result', 503, conflict)).toBeInstanceOf(UnavailableError);
  });

  it("puts the caller's hint for the code after the server's words", () => {
    const body = JSON.stringify({ error: { code: 'unauthenticated', message: 'Token revoked.' } });
    expect(
      errorOfAnswer('Listing builds', 401, body, { unauthenticated: 'Check GIBBON_TOKEN.' })
        .message,
    ).toBe('Listing builds: Token revoked. Check GIBBON_TOKEN. (401 unauthenticated)');
  });

  it('does not take a body with an unknown code at its word', () => {
    const body = JSON.stringify({ error: { code: 'teapot', message: 'short and stout' } });
    expect(errorOfAnswer('x', 409, body)).toBeInstanceOf(ConflictError);
  });
});

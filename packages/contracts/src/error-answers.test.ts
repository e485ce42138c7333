import { errorAnswerOf } from './error-answers';
import { ConflictError } from './errors';

/** An error as the request validator and body-parser raise them: a status on an Error. */
function statusError(status: number, message: string, errors?: object[]): Error {
  return Object.assign(new Error(message), { status, ...(errors ? { errors } : {}) });
}

describe('errorAnswerOf: the answer of both servers to any error', () => {
  it('answers a domain error by the status table', () => {
    expect(errorAnswerOf(new ConflictError('Lease lapsed.'))).toEqual({
      status: 409,
      body: { error: { code: 'conflict', message: 'Lease lapsed.' } },
    });
  });

  it("turns the validator's 400 into an input error naming the fields, five at most", () => {
    const fields = Array.from({ length: 7 }, (_, index) => ({
      path: `/body/f${index}`,
      message: 'must be string',
    }));
    const answer = errorAnswerOf(statusError(400, 'request/body/f0 must be string', fields));
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('invalid_input');
    expect(answer.body.error.message).toBe(
      `Invalid request: ${fields
        .slice(0, 5)
        .map((field) => `${field.path} must be string`)
        .join('; ')}.`,
    );
  });

  it('keeps 405 (code not_found) and 415 (code invalid_input), as both servers answer them', () => {
    expect(errorAnswerOf(statusError(405, 'PUT method not allowed'))).toEqual({
      status: 405,
      body: { error: { code: 'not_found', message: 'PUT method not allowed.' } },
    });
    const unsupported = errorAnswerOf(statusError(415, 'unsupported media type text/xml'));
    expect(unsupported.status).toBe(415);
    expect(unsupported.body.error.code).toBe('invalid_input');
  });

  it('maps the other statuses onto their domain errors', () => {
    expect(errorAnswerOf(statusError(404, 'not found')).body.error).toEqual({
      code: 'not_found',
      message: 'No such operation; see GET /v1/openapi.json.',
    });
    expect(errorAnswerOf(statusError(401, 'Authorization header required')).status).toBe(401);
    expect(errorAnswerOf(statusError(403, 'forbidden')).status).toBe(403);
    expect(errorAnswerOf(statusError(413, 'request entity too large')).body.error.code).toBe(
      'payload_too_large',
    );
    expect(errorAnswerOf(statusError(422, 'odd')).status).toBe(400);
  });

  it('answers 500 without a word of an unknown error', () => {
    for (const error of [new Error('db password is hunter2'), statusError(502, 'upstream')]) {
      expect(errorAnswerOf(error)).toEqual({
        status: 500,
        body: {
          error: { code: 'internal', message: 'Internal error; the server log has details.' },
        },
      });
    }
  });
});

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OpenApiDocument } from '../openapi-documents';
import type { DocumentedOperation } from './document-operations';
import { OpenApiRequestValidator } from './request-validator';

/** The parts of an express request and answer the middleware uses (no express import here). */
interface Request extends IncomingMessage {
  readonly originalUrl?: string;
  readonly query: Readonly<Record<string, unknown>>;
  readonly body?: unknown;
}

interface Answer extends ServerResponse {
  readonly locals: Record<string, unknown>;
  json(body: unknown): unknown;
}

export interface ValidationOptions {
  /**
   * Also check every JSON answer against the document (the tests turn this on): an answer that
   * does not fit becomes a 500 naming the fields, so drift from the contract fails a test.
   */
  readonly validateAnswers?: boolean;
}

/** The documented operation the middleware matched, for the handlers after it (token scope). */
export function operationOf(answer: { readonly locals: Record<string, unknown> }) {
  return answer.locals.operation as DocumentedOperation | undefined;
}

function checkAnswers(
  validator: OpenApiRequestValidator,
  operation: DocumentedOperation,
  res: Answer,
) {
  const send = res.json.bind(res);
  res.json = (body: unknown) => {
    const errors = validator.checkAnswer(operation, res.statusCode, body);
    if (errors.length === 0) return send(body);
    const fields = errors.map((each) => `${each.path} ${each.message}`).join('; ');
    res.statusCode = 500;
    return send({
      error: {
        code: 'internal',
        message: `The answer to ${operation.operationId} does not fit the API document: ${fields}.`,
      },
    });
  };
}

/**
 * The request validation of every Gibbon server, as connect middleware: a request the document
 * refuses goes to the error middleware as a `RequestValidationError` (`errorAnswerOf` words
 * it); a valid one goes on with its operation in `res.locals.operation`. Place it after the
 * body parsers.
 */
export function validateRequests(document: OpenApiDocument, options: ValidationOptions = {}) {
  const validator = new OpenApiRequestValidator(document);
  return (req: Request, res: Answer, next: (error?: unknown) => void): void => {
    let operation: DocumentedOperation;
    try {
      operation = validator.check({
        method: req.method ?? 'GET',
        path: (req.originalUrl ?? req.url ?? '').split('?')[0] ?? '',
        query: req.query,
        headers: req.headers,
        body: req.body,
      });
    } catch (error) {
      next(error);
      return;
    }
    res.locals.operation = operation;
    if (options.validateAnswers === true) checkAnswers(validator, operation, res);
    next();
  };
}

import type { ValidateFunction } from 'ajv';
import type { OpenApiDocument } from '../openapi-documents';
import {
  byTemplate,
  documentedOperations,
  type DocumentedOperation,
  type ParameterLocation,
} from './document-operations';
import { fieldErrors, type FieldError } from './field-messages';
import { OperationPaths } from './operation-paths';
import { SchemaCompiler } from './schema-compiler';

/** What the validator reads of a request, whatever the HTTP library. */
export interface RequestFacts {
  readonly method: string;
  /** The path without the query string. */
  readonly path: string;
  readonly query: Readonly<Record<string, unknown>>;
  /** Header names in lower case, as Node gives them. */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The parsed body (JSON value, text), when a parser read one. */
  readonly body: unknown;
}

/**
 * A request the document refuses, with the status the servers answer (400, 404, 405, 415) and
 * the refused fields; `errorAnswerOf` turns it into the error body.
 */
export class RequestValidationError extends Error {
  override readonly name = 'RequestValidationError';

  constructor(
    readonly status: number,
    message: string,
    readonly errors: readonly FieldError[] = [],
    /** Answer headers: `Allow` for a 405. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

const locationNames: Record<ParameterLocation, string> = {
  path: '/path',
  query: '/query',
  header: '/headers',
};

function mediaTypeOf(headers: RequestFacts['headers']): string | undefined {
  const raw = headers['content-type'];
  const value: unknown = typeof raw === 'string' ? raw : raw?.[0];
  return typeof value === 'string' ? value.split(';')[0]?.trim().toLowerCase() : undefined;
}

function sentBody(headers: RequestFacts['headers']): boolean {
  const length = Number.parseInt(String(headers['content-length'] ?? ''), 10);
  return headers['transfer-encoding'] !== undefined || length > 0;
}

/** Media types whose parsed body the validator checks; others (tar.gz) are streamed past it. */
function isParsed(type: string): boolean {
  return type === 'application/json' || type.endsWith('+json') || type.startsWith('text/');
}

/**
 * Checks requests (and, for tests, answers) against one OpenAPI 3.1 document: which operation
 * a request is (404, or 405 with `Allow`), its path, query and header parameters (unknown query
 * parameters refused), its body's media type (415) and its body. Every schema compiles on first
 * use; the document itself is read once.
 */
export class OpenApiRequestValidator {
  private readonly paths: OperationPaths<DocumentedOperation>;
  private readonly compiler: SchemaCompiler;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(document: OpenApiDocument) {
    this.paths = new OperationPaths(byTemplate(documentedOperations(document)));
    this.compiler = new SchemaCompiler(document);
  }

  /** The operation of `request` once it is valid; throws `RequestValidationError` otherwise. */
  check(request: RequestFacts): DocumentedOperation {
    const match = this.paths.match(request.method, request.path);
    if (match.found === 'nothing') {
      throw new RequestValidationError(404, `${request.path} is not a documented path`);
    }
    if (match.found === 'path') {
      const allowed = match.allowed.join(', ');
      throw new RequestValidationError(
        405,
        `${request.method} is not an operation of this path; it takes ${allowed}`,
        [],
        { Allow: allowed },
      );
    }
    const { operation, params } = match;
    const errors = [
      ...this.checkParameters(operation, 'path', params),
      ...this.checkParameters(operation, 'query', request.query),
      ...this.checkParameters(operation, 'header', request.headers),
      ...this.checkBody(operation, request),
    ];
    if (errors.length > 0) {
      throw new RequestValidationError(400, 'The request does not fit the API document', errors);
    }
    return operation;
  }

  /** What is wrong with a JSON answer of `operation` (empty: it fits the document). */
  checkAnswer(operation: DocumentedOperation, status: number, body: unknown): FieldError[] {
    const key = operation.jsonAnswers.has(String(status)) ? String(status) : 'default';
    const schema = operation.jsonAnswers.get(key);
    if (schema === undefined) return [];
    const validate = this.validator(`${operation.operationId} answer ${key}`, 'answer', schema);
    return validate(body) ? [] : fieldErrors(validate.errors ?? [], '/answer');
  }

  private checkParameters(
    operation: DocumentedOperation,
    location: ParameterLocation,
    given: Readonly<Record<string, unknown>>,
  ): FieldError[] {
    const documented = operation.parameters.filter((each) => each.in === location);
    const nameOf = (name: string) => (location === 'header' ? name.toLowerCase() : name);
    const errors: FieldError[] = [];
    if (location === 'query') {
      const known = new Set(documented.map((each) => each.name));
      for (const name of Object.keys(given)) {
        if (!known.has(name)) {
          errors.push({ path: `/query/${name}`, message: 'is not a parameter of this operation' });
        }
      }
    }
    if (documented.length === 0) return errors;
    const values: Record<string, unknown> = {};
    for (const { name } of documented) {
      const value = given[nameOf(name)];
      if (value !== undefined) values[nameOf(name)] = value;
    }
    const validate = this.validator(`${operation.operationId} ${location}`, 'parameters', {
      type: 'object',
      properties: Object.fromEntries(documented.map((each) => [nameOf(each.name), each.schema])),
      required: documented.filter((each) => each.required).map((each) => nameOf(each.name)),
    });
    if (!validate(values))
      errors.push(...fieldErrors(validate.errors ?? [], locationNames[location]));
    return errors;
  }

  private checkBody(operation: DocumentedOperation, request: RequestFacts): FieldError[] {
    const { body } = operation;
    if (body === undefined) return [];
    const type = mediaTypeOf(request.headers);
    if (!sentBody(request.headers) && type === undefined) {
      const media = [...body.media.keys()].join(' or ');
      return body.required ? [{ path: '/body', message: `is required (${media})` }] : [];
    }
    if (type === undefined || !body.media.has(type)) {
      const media = [...body.media.keys()].join(' or ');
      throw new RequestValidationError(
        415,
        `A body of type ${type ?? '(none given)'} is not taken here; send ${media}.`,
      );
    }
    if (!isParsed(type)) return [];
    const validate = this.validator(
      `${operation.operationId} body ${type}`,
      'body',
      body.media.get(type),
    );
    return validate(request.body) ? [] : fieldErrors(validate.errors ?? [], '/body');
  }

  private validator(
    key: string,
    mode: Parameters<SchemaCompiler['compile']>[0],
    schema: unknown,
  ): ValidateFunction {
    let validate = this.compiled.get(key);
    if (validate === undefined) {
      validate = this.compiler.compile(mode, schema);
      this.compiled.set(key, validate);
    }
    return validate;
  }
}

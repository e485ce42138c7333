import {
  AuthenticationError,
  ConflictError,
  GoneError,
  InputError,
  NotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  UnprocessableError,
  httpStatusOf,
} from './errors';
import { OPENAPI_DOCUMENT_NAMES, loadOpenApiDocument } from './openapi-documents';
import {
  ERROR_RESPONSES,
  errorResponseProblems,
  openBodyProblems,
  openComponentProblems,
  operationProblems,
} from '../test/document-rules';
import { isObject } from '../test/openapi-walk';

const usesTokenKinds = (name: string): boolean => name !== 'script-api';

describe.each(OPENAPI_DOCUMENT_NAMES)('%s follows the house rules', (name) => {
  const document = loadOpenApiDocument(name);

  it('closes every request body and every object inside it', () => {
    expect(openBodyProblems(document)).toEqual([]);
  });

  it('closes every component object schema', () => {
    expect(openComponentProblems(document)).toEqual([]);
  });

  it('gives every operation an operationId, a security and (public/runner) token kinds', () => {
    expect(operationProblems(document, usesTokenKinds(name))).toEqual([]);
  });

  it('answers errors with the named responses and the one Error schema', () => {
    expect(errorResponseProblems(document)).toEqual([]);
  });
});

describe('the rules bite', () => {
  const broken = () => loadOpenApiDocument('public-api');
  const schemas = (document: ReturnType<typeof broken>) => document.components!.schemas!;
  const operation = (document: ReturnType<typeof broken>, path: string, method: string) =>
    document.paths[path]![method] as Record<string, unknown>;

  it('finds an open request body', () => {
    const document = broken();
    delete (schemas(document).OrgCreate as Record<string, unknown>).additionalProperties;
    expect(openBodyProblems(document)).toEqual([
      'POST /v1/orgs application/json → #/components/schemas/OrgCreate: ' +
        'object schema without additionalProperties: false',
    ]);
  });

  it('finds the GitHub body open once its marker is gone', () => {
    const document = broken();
    const delivery = operation(document, '/webhooks/github/{webhookId}', 'post');
    const body = delivery.requestBody as { content: Record<string, { schema: object }> };
    body.content['application/json']!.schema = { type: 'object' };
    expect(openBodyProblems(document)).toHaveLength(1);
  });

  it('finds a missing operationId, a write open to read tokens and a runner token off its paths', () => {
    const document = broken();
    delete operation(document, '/v1/orgs', 'get').operationId;
    operation(document, '/v1/orgs', 'post')['x-gibbon-token-kinds'] = ['admin', 'org-read'];
    operation(document, '/v1/runners', 'get')['x-gibbon-token-kinds'] = ['admin', 'runner'];
    expect(operationProblems(document, true)).toEqual([
      'GET /v1/orgs: no operationId',
      'POST /v1/orgs: org-read tokens may only call GET operations',
      'GET /v1/runners: runner token off /v1/runner/',
    ]);
  });

  it('finds security and token kinds that disagree', () => {
    const document = broken();
    operation(document, '/healthz', 'get')['x-gibbon-token-kinds'] = ['admin'];
    delete operation(document, '/v1/runners', 'post')['x-gibbon-token-kinds'];
    operation(document, '/v1/runners', 'get').security = [{ buildToken: [] }];
    expect(operationProblems(document, true)).toEqual([
      'GET /healthz: kinds but security: []',
      'GET /v1/runners: kinds admin need security bearer',
      'POST /v1/runners: no x-gibbon-token-kinds',
    ]);
  });

  it('finds an inline error answer', () => {
    const document = broken();
    const responses = operation(document, '/v1/orgs/{org}', 'get').responses as Record<
      string,
      unknown
    >;
    responses['404'] = { description: 'gone' };
    expect(errorResponseProblems(document)).toEqual([
      'GET /v1/orgs/{org}: 404 must be $ref #/components/responses/NotFound',
    ]);
  });
});

describe('error codes and statuses', () => {
  const errors = [
    new InputError('x'),
    new AuthenticationError('x'),
    new NotAllowedError('x'),
    new NotFoundError('x'),
    new ConflictError('x'),
    new GoneError('x'),
    new PayloadTooLargeError('x'),
    new UnprocessableError('x'),
  ];

  it.each(OPENAPI_DOCUMENT_NAMES)('%s lists exactly the ErrorCode values', (name) => {
    const errorCode = loadOpenApiDocument(name).components!.schemas!.ErrorCode;
    const codes = isObject(errorCode) ? errorCode.enum : undefined;
    expect(codes).toEqual([...errors.map((error) => error.code), 'internal']);
  });

  it('names each error status after the status httpStatusOf gives its domain error', () => {
    const statuses = errors.map((error) => String(httpStatusOf(error)));
    expect(statuses).toEqual(Object.keys(ERROR_RESPONSES));
  });
});

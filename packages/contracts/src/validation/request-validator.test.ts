import { errorAnswerOf } from '../error-answers';
import { loadOpenApiDocument } from '../openapi-documents';
import { OpenApiRequestValidator, type RequestFacts } from './request-validator';

const publicApi = new OpenApiRequestValidator(loadOpenApiDocument('public-api'));
const runnerApi = new OpenApiRequestValidator(loadOpenApiDocument('runner-api'));
const scriptApi = new OpenApiRequestValidator(loadOpenApiDocument('script-api'));

function request(method: string, path: string, extra: Partial<RequestFacts> = {}): RequestFacts {
  return { method, path, query: {}, headers: {}, body: undefined, ...extra };
}

function json(method: string, path: string, body: unknown): RequestFacts {
  const headers = { 'content-type': 'application/json', 'content-length': '2' };
  return request(method, path, { headers, body });
}

/** The status and message a server answers a refused request with. */
function refusal(validator: OpenApiRequestValidator, facts: RequestFacts) {
  try {
    validator.check(facts);
  } catch (error) {
    const answer = errorAnswerOf(error);
    return { status: answer.status, message: answer.body.error.message, headers: answer.headers };
  }
  throw new Error(`${facts.method} ${facts.path} was not refused.`);
}

describe('the request validator of the Gibbon servers', () => {
  it('finds the operation of a request, a literal segment before a template', () => {
    expect(publicApi.check(request('GET', '/v1/orgs')).operationId).toBe('listOrgs');
    expect(publicApi.check(request('HEAD', '/v1/orgs/')).operationId).toBe('listOrgs');
    expect(runnerApi.check(json('POST', '/v1/runner/claim', {})).operationId).toBe('claimBuild');
  });

  it('answers 404 for an undocumented path and 405 with Allow for an undocumented method', () => {
    expect(refusal(publicApi, request('GET', '/v1/nothing'))).toMatchObject({ status: 404 });
    expect(refusal(publicApi, request('PUT', '/v1/orgs'))).toEqual({
      status: 405,
      message: 'PUT is not an operation of this path; it takes GET, POST.',
      headers: { Allow: 'GET, POST' },
    });
  });

  it('words a refused pattern by the schema’s description, not its regular expression', () => {
    expect(refusal(publicApi, json('POST', '/v1/orgs', { slug: 'Not A Slug' }))).toEqual({
      status: 400,
      message:
        'Invalid request: /body/slug must be lower-case letters, digits and inner dashes, 1 to 64 characters.',
      headers: undefined,
    });
    expect(refusal(publicApi, request('GET', '/v1/orgs/UPPER')).message).toBe(
      'Invalid request: /path/org must be lower-case letters, digits and inner dashes, 1 to 64 characters.',
    );
  });

  it('names missing and unknown fields of a body', () => {
    expect(
      refusal(publicApi, json('POST', '/v1/orgs', { name: 'x', dependson: 'a' })).message,
    ).toBe(
      'Invalid request: /body/slug is required; /body/dependson is not a field this operation takes.',
    );
  });

  it('coerces query and path text to the documented types, and refuses unknown parameters', () => {
    const builds = '/v1/orgs/acme/repos/web/builds';
    expect(publicApi.check(request('GET', builds, { query: { limit: '5' } })).operationId).toBe(
      'listBuilds',
    );
    expect(refusal(publicApi, request('GET', builds, { query: { limit: 'many' } })).message).toBe(
      'Invalid request: /query/limit must be integer.',
    );
    expect(refusal(publicApi, request('GET', builds, { query: { limit: '500' } })).message).toBe(
      'Invalid request: /query/limit must be <= 100.',
    );
    expect(refusal(publicApi, request('GET', builds, { query: { sort: 'asc' } })).message).toBe(
      'Invalid request: /query/sort is not a parameter of this operation.',
    );
    expect(refusal(publicApi, request('GET', `${builds}/zero`)).message).toBe(
      'Invalid request: /path/number must be integer.',
    );
  });

  it('checks documented headers, whatever their case', () => {
    const heartbeat = '/v1/runner/builds/b1/heartbeat';
    expect(refusal(runnerApi, request('POST', heartbeat)).message).toBe(
      'Invalid request: /headers/x-gibbon-lease is required.',
    );
    const leased = request('POST', heartbeat, { headers: { 'x-gibbon-lease': 'lease-1' } });
    expect(runnerApi.check(leased).operationId).toBe('heartbeat');
  });

  it('refuses a body of an undocumented media type (415) and a missing required body (400)', () => {
    const text = request('POST', '/v1/orgs', {
      headers: { 'content-type': 'text/xml', 'content-length': '7' },
      body: '<org/>',
    });
    expect(refusal(publicApi, text)).toMatchObject({
      status: 415,
      message: 'A body of type text/xml is not taken here; send application/json.',
    });
    expect(refusal(publicApi, request('POST', '/v1/orgs'))).toMatchObject({
      status: 400,
      message: 'Invalid request: /body is required (application/json).',
    });
  });

  it('says which shapes a oneOf takes instead of "must match exactly one schema in oneOf"', () => {
    const answer = refusal(
      scriptApi,
      json('POST', '/v1/jobs/build/run', { id: 'build', image: 'node' }),
    );
    expect(answer.message).toBe(
      'Invalid request: /body needs one of: (/body/script is required) or (/body/command is required).',
    );
  });

  it('picks a discriminated branch by its tag and names an unknown tag', () => {
    const unknown = json('POST', '/v1/events', { type: 'job.exploded', jobId: 'a' });
    expect(refusal(scriptApi, unknown).message).toBe(
      'Invalid request: /body/type "job.exploded" is not one of the documented kinds.',
    );
    const ended = json('POST', '/v1/events', { type: 'job.ended', jobId: 'a' });
    expect(refusal(scriptApi, ended).message).toMatch(
      /^Invalid request: \/body\/status is required; /,
    );
  });

  it('fills in a body’s documented defaults, as the handlers expect', () => {
    const job: Record<string, unknown> = { id: 'build', image: 'node', script: ['true'] };
    scriptApi.check(json('POST', '/v1/jobs/build/run', job));
    expect(job.attempt).toBe(1);
  });

  it('passes streamed bodies unread, checking only their media type', () => {
    const upload = request('PUT', '/v1/artifacts/dist', {
      headers: { 'content-type': 'application/gzip', 'transfer-encoding': 'chunked' },
    });
    expect(scriptApi.check(upload).operationId).toBe('putArtifact');
  });

  it('checks answers against the document without changing them', () => {
    const operation = publicApi.check(request('GET', '/v1/orgs'));
    expect(publicApi.checkAnswer(operation, 200, { items: [] })).toEqual([]);
    expect(publicApi.checkAnswer(operation, 200, { items: [], extra: 1 })).toEqual([
      { path: '/answer/extra', message: 'is not a field this operation takes' },
    ]);
  });
});

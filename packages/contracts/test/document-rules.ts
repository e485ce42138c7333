/**
 * House rules of our OpenAPI documents that a generic linter does not know. Each rule returns
 * the problems it found as readable strings, so a test can show them all at once and another
 * test can feed it a broken document to prove the rule bites.
 */
import type { OpenApiDocument } from '../src/openapi-documents';
import { isObject, operationsOf, resolveRef, schemasUnder } from './openapi-walk';

export const TOKEN_KINDS = [
  'admin',
  'org-admin',
  'org-read',
  'runner',
  'runner-registration',
  'build',
];

/** The named response every error status must use. */
export const ERROR_RESPONSES: Record<string, string> = {
  '400': 'BadRequest',
  '401': 'Unauthorized',
  '403': 'Forbidden',
  '404': 'NotFound',
  '409': 'Conflict',
  '413': 'PayloadTooLarge',
  '410': 'Gone',
  '422': 'Unprocessable',
};

const READ_METHODS = new Set(['get', 'head']);

/** Request bodies (and every object inside them) must be closed, unless marked as open. */
export function openBodyProblems(document: OpenApiDocument): string[] {
  return operationsOf(document).flatMap(({ path, method, operation }) => {
    const body = resolveRef(document, operation.requestBody);
    if (!isObject(body) || !isObject(body.content)) return [];
    return Object.entries(body.content).flatMap(([mediaType, media]) => {
      if (!isObject(media)) return [];
      const where = `${method.toUpperCase()} ${path} ${mediaType}`;
      return schemasUnder(document, media.schema, where)
        .filter(({ schema }) => isOpenObject(schema))
        .map(({ where: at }) => `${at}: object schema without additionalProperties: false`);
    });
  });
}

/** Component schemas with `properties` must be closed too (answers included). */
export function openComponentProblems(document: OpenApiDocument): string[] {
  const schemas = document.components?.schemas ?? {};
  return Object.entries(schemas)
    .filter(([, schema]) => isObject(schema) && isObject(schema.properties))
    .flatMap(([name, schema]) =>
      schemasUnder(document, schema, `#/components/schemas/${name}`)
        .filter((found) => isOpenObject(found.schema))
        .map(({ where }) => `${where}: object schema without additionalProperties: false`),
    );
}

function isOpenObject(schema: Record<string, unknown>): boolean {
  const isObjectSchema = schema.type === 'object' || isObject(schema.properties);
  if (!isObjectSchema || schema['x-gibbon-open-body'] === true) return false;
  // A map (`additionalProperties: {schema}`) is closed by its value schema.
  return schema.additionalProperties !== false && !isObject(schema.additionalProperties);
}

/** Every operation names its id and its security; public/runner ones their token kinds. */
export function operationProblems(document: OpenApiDocument, withTokenKinds: boolean): string[] {
  return operationsOf(document).flatMap(({ path, method, operation }) => {
    const at = `${method.toUpperCase()} ${path}`;
    const problems: string[] = [];
    if (typeof operation.operationId !== 'string') problems.push(`${at}: no operationId`);
    if (!Array.isArray(operation.security)) problems.push(`${at}: no explicit security`);
    if (withTokenKinds) problems.push(...tokenKindProblems(at, path, method, operation));
    return problems;
  });
}

const sessionPath = '/v1/session';
const signOut = `DELETE ${sessionPath}`;

function tokenKindProblems(
  at: string,
  path: string,
  method: string,
  operation: Record<string, unknown>,
): string[] {
  const kinds = operation['x-gibbon-token-kinds'];
  if (!Array.isArray(kinds)) return [`${at}: no x-gibbon-token-kinds`];
  const problems: string[] = [];
  const unknown = kinds.filter((kind) => !TOKEN_KINDS.includes(String(kind)));
  if (unknown.length > 0) problems.push(`${at}: unknown token kinds ${unknown.join(', ')}`);
  if (new Set(kinds).size !== kinds.length) problems.push(`${at}: duplicate token kinds`);
  const schemes = securitySchemesOf(operation);
  if (kinds.length === 0 && schemes.length > 0) problems.push(`${at}: security but no kinds`);
  if (kinds.length > 0 && schemes.length === 0) problems.push(`${at}: kinds but security: []`);
  // The web page's own session operations take the session cookie (which stands for a bearer
  // token); every other operation names the scheme of its token.
  const expected = kinds.includes('build')
    ? 'buildToken'
    : kinds.includes('runner-registration')
      ? 'registrationToken'
      : path === sessionPath
        ? 'session'
        : 'bearer';
  if (kinds.length > 0 && schemes.length > 0 && schemes.join() !== expected) {
    problems.push(`${at}: kinds ${kinds.join(', ')} need security ${expected}`);
  }
  if (kinds.includes('build') && kinds.length > 1) problems.push(`${at}: build mixed with others`);
  // A registration token is good for registering, nothing else.
  if (kinds.includes('runner-registration') && kinds.length > 1) {
    problems.push(`${at}: runner-registration mixed with others`);
  }
  // Signing out ends the caller's own session: a read token may do that much.
  if (kinds.includes('org-read') && !READ_METHODS.has(method) && at !== signOut) {
    problems.push(`${at}: org-read tokens may only call GET operations`);
  }
  const runnerPath = path.startsWith('/v1/runner/');
  const runnerKinds = kinds.filter((kind) =>
    ['runner', 'runner-registration', 'build'].includes(String(kind)),
  );
  if (runnerPath && runnerKinds.length !== kinds.length) {
    problems.push(`${at}: runner paths take runner, runner-registration or build tokens only`);
  }
  if (!runnerPath && runnerKinds.length > 0) problems.push(`${at}: runner token off /v1/runner/`);
  return problems;
}

function securitySchemesOf(operation: Record<string, unknown>): string[] {
  const security = Array.isArray(operation.security) ? operation.security : [];
  return security.flatMap((requirement) => (isObject(requirement) ? Object.keys(requirement) : []));
}

/** Error statuses use the named responses, and those answer with the one `Error` schema. */
export function errorResponseProblems(document: OpenApiDocument): string[] {
  const fromOperations = operationsOf(document).flatMap(({ path, method, operation }) => {
    const at = `${method.toUpperCase()} ${path}`;
    const responses = isObject(operation.responses) ? operation.responses : {};
    const statuses = Object.keys(responses);
    const problems = statuses.some((status) => /^2\d\d$/.test(status))
      ? []
      : [`${at}: no 2xx answer`];
    for (const status of statuses.filter((code) => /^[45]\d\d$/.test(code))) {
      const expected = `#/components/responses/${ERROR_RESPONSES[status] ?? '?'}`;
      const response = responses[status];
      if (!isObject(response) || response.$ref !== expected) {
        problems.push(`${at}: ${status} must be $ref ${expected}`);
      }
    }
    return problems;
  });
  const named = document.components?.responses ?? {};
  const fromNamed = Object.entries(named).flatMap(([name, response]) => {
    const content = isObject(response) && isObject(response.content) ? response.content : {};
    const json = content['application/json'];
    const ref = isObject(json) && isObject(json.schema) ? json.schema.$ref : undefined;
    return ref === '#/components/schemas/Error' ? [] : [`responses/${name}: must answer Error`];
  });
  return [...fromOperations, ...fromNamed];
}

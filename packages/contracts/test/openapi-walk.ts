/**
 * Walking an OpenAPI document in tests: its operations, local `$ref`s and the object schemas
 * reachable from a schema. Only local refs (`#/...`) exist in our documents by design: each
 * document is self-contained so that every consumer can load it alone.
 */
import type { OpenApiDocument } from '../src/openapi-documents';

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

export type JsonObject = Record<string, unknown>;

export interface OperationEntry {
  path: string;
  method: string;
  operation: JsonObject;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function operationsOf(document: OpenApiDocument): OperationEntry[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    HTTP_METHODS.flatMap((method) => {
      const operation = item[method];
      return isObject(operation) ? [{ path, method, operation }] : [];
    }),
  );
}

/** Follows a chain of local `$ref`s to the value they name. */
export function resolveRef(document: OpenApiDocument, value: unknown): unknown {
  let current = value;
  for (let hops = 0; isObject(current) && typeof current.$ref === 'string'; hops += 1) {
    if (hops > 20) throw new Error(`$ref loop at ${current.$ref}`);
    current = pointer(document, current.$ref);
  }
  return current;
}

function pointer(document: OpenApiDocument, ref: string): unknown {
  if (!ref.startsWith('#/')) throw new Error(`Only local $refs are allowed, got ${ref}`);
  return ref
    .slice(2)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), document);
}

export interface SchemaAt {
  where: string;
  schema: JsonObject;
}

const SUBSCHEMA_LISTS = ['oneOf', 'anyOf', 'allOf', 'prefixItems'];
const SUBSCHEMAS = ['items', 'not', 'contentSchema', 'propertyNames'];

/** Every schema reachable from `schema` (itself included), each visited once. */
export function schemasUnder(
  document: OpenApiDocument,
  schema: unknown,
  where: string,
): SchemaAt[] {
  const found: SchemaAt[] = [];
  const seen = new Set<unknown>();
  const visit = (node: unknown, at: string): void => {
    const target = resolveRef(document, node);
    if (!isObject(target) || seen.has(target)) return;
    seen.add(target);
    const ref = isObject(node) && typeof node.$ref === 'string' ? node.$ref : undefined;
    const here = ref ? `${at} → ${ref}` : at;
    found.push({ where: here, schema: target });
    for (const key of SUBSCHEMA_LISTS) {
      const list = target[key];
      if (Array.isArray(list))
        list.forEach((item, index) => visit(item, `${here}/${key}/${index}`));
    }
    for (const key of SUBSCHEMAS) visit(target[key], `${here}/${key}`);
    if (isObject(target.additionalProperties)) {
      visit(target.additionalProperties, `${here}/additionalProperties`);
    }
    if (isObject(target.properties)) {
      for (const [name, property] of Object.entries(target.properties)) {
        visit(property, `${here}/properties/${name}`);
      }
    }
  };
  visit(schema, where);
  return found;
}

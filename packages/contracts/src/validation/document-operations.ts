import type { OpenApiDocument } from '../openapi-documents';

/** Where a parameter is read from, and the name of that part of the request in messages. */
export type ParameterLocation = 'path' | 'query' | 'header';

export interface DocumentedParameter {
  readonly name: string;
  readonly in: ParameterLocation;
  readonly required: boolean;
  readonly schema: unknown;
}

/** One operation of a document, with its `$ref`s to parameters, bodies and answers resolved. */
export interface DocumentedOperation {
  readonly method: string;
  readonly path: string;
  readonly operationId: string;
  /** The operation object itself, for readers of extensions (`x-gibbon-token-kinds`). */
  readonly definition: Readonly<Record<string, unknown>>;
  readonly parameters: readonly DocumentedParameter[];
  /** Media type → schema of the request body; absent when the operation takes none. */
  readonly body?: { readonly required: boolean; readonly media: ReadonlyMap<string, unknown> };
  /** Status (`'200'`, `'default'`) → schema of its JSON answer, where it has one. */
  readonly jsonAnswers: ReadonlyMap<string, unknown>;
}

const methods = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Follows a local `$ref` (`#/components/...`) until it reaches an object that is not one. */
function resolved(document: OpenApiDocument, value: unknown): Json {
  let current = value;
  for (let hops = 0; isObject(current) && typeof current.$ref === 'string'; hops++) {
    if (hops > 20) throw new TypeError(`The $ref ${current.$ref} loops.`);
    const ref = current.$ref;
    if (!ref.startsWith('#/')) throw new TypeError(`Only local $refs are supported, not ${ref}.`);
    current = ref
      .slice(2)
      .split('/')
      .reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), document);
  }
  if (!isObject(current)) throw new TypeError(`A $ref of the document leads to nothing.`);
  return current;
}

function parametersOf(document: OpenApiDocument, raw: unknown): DocumentedParameter[] {
  if (!Array.isArray(raw)) return [];
  return raw.map((entry) => {
    const parameter = resolved(document, entry);
    const location = parameter.in;
    if (location !== 'path' && location !== 'query' && location !== 'header') {
      throw new TypeError(`Parameters in ${String(location)} are not supported.`);
    }
    return {
      name: String(parameter.name),
      in: location,
      required: parameter.required === true,
      schema: parameter.schema ?? {},
    };
  });
}

function bodyOf(document: OpenApiDocument, raw: unknown): DocumentedOperation['body'] {
  if (raw === undefined) return undefined;
  const body = resolved(document, raw);
  const content = isObject(body.content) ? body.content : {};
  const media = new Map<string, unknown>();
  for (const [type, entry] of Object.entries(content)) {
    media.set(type.toLowerCase(), isObject(entry) ? (entry.schema ?? {}) : {});
  }
  return { required: body.required === true, media };
}

function jsonAnswersOf(document: OpenApiDocument, raw: unknown): Map<string, unknown> {
  const answers = new Map<string, unknown>();
  for (const [status, entry] of Object.entries(isObject(raw) ? raw : {})) {
    const content = resolved(document, entry).content;
    const json = isObject(content) ? content['application/json'] : undefined;
    if (isObject(json) && json.schema !== undefined) answers.set(status, json.schema);
  }
  return answers;
}

/** Every operation of `document`, path-level parameters merged under operation-level ones. */
export function documentedOperations(document: OpenApiDocument): DocumentedOperation[] {
  const operations: DocumentedOperation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    const shared = parametersOf(document, item.parameters);
    for (const method of methods) {
      const definition = item[method];
      if (!isObject(definition)) continue;
      const own = parametersOf(document, definition.parameters);
      const key = (each: DocumentedParameter) => `${each.in}:${each.name.toLowerCase()}`;
      const ownKeys = new Set(own.map(key));
      const body = bodyOf(document, definition.requestBody);
      operations.push({
        method: method.toUpperCase(),
        path,
        operationId: String(definition.operationId),
        definition,
        parameters: [...shared.filter((each) => !ownKeys.has(key(each))), ...own],
        ...(body ? { body } : {}),
        jsonAnswers: jsonAnswersOf(document, definition.responses),
      });
    }
  }
  return operations;
}

/** The operations grouped by path template, as `OperationPaths` takes them. */
export function byTemplate<Op extends { readonly path: string }>(
  operations: readonly Op[],
): Map<string, Op[]> {
  const grouped = new Map<string, Op[]>();
  for (const op of operations) grouped.set(op.path, [...(grouped.get(op.path) ?? []), op]);
  return grouped;
}

import type { OpenApiDocument } from '@gibbon/contracts';
import { tokenKinds, type TokenKind } from '../auth';

/** One operation of the OpenAPI document, with what the app needs to route and guard it. */
export interface Operation {
  readonly method: string;
  readonly path: string;
  readonly operationId: string;
  /** From `x-gibbon-token-kinds`; empty means public (no token needed). */
  readonly tokenKinds: readonly TokenKind[];
}

export interface MatchedOperation {
  readonly operation: Operation;
  readonly params: Readonly<Record<string, string>>;
}

const methods = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

function readTokenKinds(path: string, method: string, raw: unknown): TokenKind[] {
  if (!Array.isArray(raw) || !raw.every((kind) => tokenKinds.includes(kind as TokenKind))) {
    throw new TypeError(`${method.toUpperCase()} ${path} has no valid x-gibbon-token-kinds list.`);
  }
  return raw as TokenKind[];
}

/** Every operation of `document`; throws if one lacks its token-kinds list (fail at start). */
export function operationsOf(document: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of methods) {
      const operation = item[method] as Record<string, unknown> | undefined;
      if (operation === undefined) continue;
      operations.push({
        method: method.toUpperCase(),
        path,
        operationId: String(operation.operationId),
        tokenKinds: readTokenKinds(path, method, operation['x-gibbon-token-kinds']),
      });
    }
  }
  return operations;
}

interface CompiledPath {
  readonly pattern: RegExp;
  readonly names: readonly string[];
  readonly byMethod: ReadonlyMap<string, Operation>;
}

function compile(path: string, operations: Operation[]): CompiledPath {
  const names: string[] = [];
  const source = path
    .split('/')
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment);
      if (!param?.[1]) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(param[1]);
      return '([^/]+)';
    })
    .join('/');
  return {
    pattern: new RegExp(`^${source}/?$`),
    names,
    byMethod: new Map(operations.map((op) => [op.method, op])),
  };
}

/**
 * Finds the documented operation of a request, so that authentication runs before the body
 * is even parsed. Paths with fewer parameters are tried first, so a literal segment wins
 * over a template one.
 */
export class OperationMatcher {
  private readonly paths: CompiledPath[];

  constructor(operations: readonly Operation[]) {
    const byPath = new Map<string, Operation[]>();
    for (const op of operations) byPath.set(op.path, [...(byPath.get(op.path) ?? []), op]);
    this.paths = [...byPath.entries()]
      .map(([path, ops]) => compile(path, ops))
      .sort((a, b) => a.names.length - b.names.length);
  }

  match(method: string, path: string): MatchedOperation | undefined {
    for (const compiled of this.paths) {
      const found = compiled.pattern.exec(path);
      if (!found) continue;
      const operation = compiled.byMethod.get(method === 'HEAD' ? 'GET' : method);
      if (!operation) return undefined;
      const params: Record<string, string> = {};
      compiled.names.forEach((name, index) => (params[name] = safeDecode(found[index + 1] ?? '')));
      return { operation, params };
    }
    return undefined;
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

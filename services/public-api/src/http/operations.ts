import type { OpenApiDocument } from '@gibbon/contracts';
import { byTemplate, documentedOperations, OperationPaths } from '@gibbon/contracts/validation';
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

function readTokenKinds(path: string, method: string, raw: unknown): TokenKind[] {
  if (!Array.isArray(raw) || !raw.every((kind) => tokenKinds.includes(kind as TokenKind))) {
    throw new TypeError(`${method} ${path} has no valid x-gibbon-token-kinds list.`);
  }
  return raw as TokenKind[];
}

/** Every operation of `document`; throws if one lacks its token-kinds list (fail at start). */
export function operationsOf(document: OpenApiDocument): Operation[] {
  return documentedOperations(document).map(({ method, path, operationId, definition }) => ({
    method,
    path,
    operationId,
    tokenKinds: readTokenKinds(path, method, definition['x-gibbon-token-kinds']),
  }));
}

/**
 * Finds the documented operation of a request, so that authentication runs before the body
 * is even parsed: the same path matching as the request validator's (`OperationPaths`).
 * Anything else (undocumented, wrong method, broken encoding) is left to the validator's answer.
 */
export class OperationMatcher {
  private readonly paths: OperationPaths<Operation>;

  constructor(operations: readonly Operation[]) {
    this.paths = new OperationPaths(byTemplate(operations));
  }

  match(method: string, path: string): MatchedOperation | undefined {
    try {
      const match = this.paths.match(method, path);
      return match.found === 'operation' ? match : undefined;
    } catch {
      return undefined;
    }
  }
}

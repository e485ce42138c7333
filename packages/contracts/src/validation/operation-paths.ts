/**
 * Which documented operation a request is: the one path matcher of every Gibbon server (the
 * request validator and public-api's authentication both route through it).
 */

/** What a path template's operations carry; the matcher needs only their methods. */
export interface MethodOf {
  readonly method: string;
}

export type PathMatch<Op> =
  | { readonly found: 'operation'; readonly operation: Op; readonly params: Record<string, string> }
  /** The path is documented, the method is not; `allowed` feeds the 405's `Allow` header. */
  | { readonly found: 'path'; readonly allowed: readonly string[] }
  | { readonly found: 'nothing' };

interface CompiledPath<Op> {
  readonly pattern: RegExp;
  readonly names: readonly string[];
  readonly byMethod: ReadonlyMap<string, Op>;
}

function compile<Op extends MethodOf>(
  template: string,
  operations: readonly Op[],
): CompiledPath<Op> {
  const names: string[] = [];
  const source = template
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
    byMethod: new Map(operations.map((op) => [op.method.toUpperCase(), op])),
  };
}

/** A path segment as the handler sees it; `undefined` when its percent-encoding is broken. */
function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

export class MalformedPathError extends Error {
  readonly status = 400;
}

/**
 * Path templates compiled once. Templates with fewer parameters are tried first, so a literal
 * segment (`/v1/runner/claim`) wins over a template one (`/v1/runner/{x}`). A trailing slash
 * is allowed, as express allows it; HEAD is answered by GET.
 */
export class OperationPaths<Op extends MethodOf> {
  private readonly paths: readonly CompiledPath<Op>[];

  constructor(byTemplate: ReadonlyMap<string, readonly Op[]>) {
    this.paths = [...byTemplate.entries()]
      .map(([template, operations]) => compile(template, operations))
      .sort((a, b) => a.names.length - b.names.length);
  }

  /** Throws `MalformedPathError` (400) when a parameter's percent-encoding is broken. */
  match(method: string, path: string): PathMatch<Op> {
    for (const compiled of this.paths) {
      const found = compiled.pattern.exec(path);
      if (!found) continue;
      const upper = method.toUpperCase();
      const operation = compiled.byMethod.get(upper === 'HEAD' ? 'GET' : upper);
      if (!operation) return { found: 'path', allowed: [...compiled.byMethod.keys()] };
      const params: Record<string, string> = {};
      compiled.names.forEach((name, index) => {
        const decoded = decodeSegment(found[index + 1] ?? '');
        if (decoded === undefined) {
          throw new MalformedPathError(`The path parameter ${name} is not valid percent-encoding.`);
        }
        params[name] = decoded;
      });
      return { found: 'operation', operation, params };
    }
    return { found: 'nothing' };
  }
}

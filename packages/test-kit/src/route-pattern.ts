/** A compiled `"METHOD /path/:param"` route; `*` as method or last segment matches anything. */
export interface RoutePattern {
  readonly source: string;
  match(method: string, path: string): Record<string, string> | undefined;
}

/**
 * Compiles `"POST /repos/:owner/:repo/statuses/:sha"`. A `:name` segment matches one
 * non-empty path segment (URL-decoded into the params); a final `*` matches the rest.
 */
export function compileRoute(source: string): RoutePattern {
  const [method, path, ...extra] = source.trim().split(/\s+/);
  if (!method || !path?.startsWith('/') || extra.length > 0) {
    throw new Error(
      `Invalid route ${JSON.stringify(source)}: write it as "POST /repos/:owner/:repo".`,
    );
  }
  const names: string[] = [];
  const body = path
    .split('/')
    .slice(1)
    .map((segment, index, all) => {
      if (segment === '*' && index === all.length - 1) return '(?:/.*)?';
      if (!segment.startsWith(':')) return `/${escapeRegExp(segment)}`;
      names.push(segment.slice(1));
      return '/([^/]+)';
    })
    .join('');
  const regex = new RegExp(`^${body}/?$`);
  const anyMethod = method === '*';
  return {
    source,
    match(requestMethod, requestPath) {
      if (!anyMethod && requestMethod.toUpperCase() !== method.toUpperCase()) return undefined;
      const found = regex.exec(requestPath);
      if (!found) return undefined;
      return Object.fromEntries(
        names.map((name, i) => [name, decodeURIComponent(found[i + 1] ?? '')]),
      );
    },
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

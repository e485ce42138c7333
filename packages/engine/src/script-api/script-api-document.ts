import type * as Contracts from '@gibbon/contracts';
import type { OpenApiDocument } from '@gibbon/contracts';

/**
 * The Script API's OpenAPI document, read and parsed once per process: it ships with the
 * contracts package and never changes while the engine runs. It is served as JSON, read for
 * the token scope and handed to the request validator (which used to parse it once each).
 */
let parsed: OpenApiDocument | undefined;
let json: string | undefined;

export function scriptApiDocument(): OpenApiDocument {
  if (parsed) return parsed;
  // The contracts' main entry brings YAML and zod (~0.1 s): loaded when a build first opens its
  // API, not when the engine is imported.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberately lazy, see above.
  const { loadOpenApiDocument } = require('@gibbon/contracts') as typeof Contracts;
  parsed = loadOpenApiDocument('script-api');
  return parsed;
}

/** The body of `GET /v1/openapi.json`. */
export function scriptApiDocumentJson(): string {
  json ??= JSON.stringify(scriptApiDocument());
  return json;
}

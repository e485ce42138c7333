import type { OpenApiDocument } from '@gibbon/contracts';
import { loadOpenApiDocument } from '@gibbon/contracts/documents';

/**
 * The Script API's OpenAPI document, read and parsed once per process: it ships with the
 * contracts package and never changes while the engine runs. It is served as JSON, read for
 * the token scope and handed to the request validator.
 */
let parsed: OpenApiDocument | undefined;
let json: string | undefined;

export function scriptApiDocument(): OpenApiDocument {
  parsed ??= loadOpenApiDocument('script-api');
  return parsed;
}

/** The body of `GET /v1/openapi.json`. */
export function scriptApiDocumentJson(): string {
  json ??= JSON.stringify(scriptApiDocument());
  return json;
}

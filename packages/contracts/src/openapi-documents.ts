import { resolve } from 'node:path';
import { documentJson as publicApiJson } from './generated/public-api.document';
import { documentJson as runnerApiJson } from './generated/runner-api.document';
import { documentJson as scriptApiJson } from './generated/script-api.document';

/** The three HTTP contracts of Gibbon CI, as files in this package's `openapi/` folder. */
export type OpenApiDocumentName = 'public-api' | 'runner-api' | 'script-api';

export const OPENAPI_DOCUMENT_NAMES = [
  'public-api',
  'runner-api',
  'script-api',
] as const satisfies readonly OpenApiDocumentName[];

/** The parts of an OpenAPI 3.1 document that callers read; the rest stays `unknown`. */
export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; [key: string]: unknown };
  paths: Record<string, Record<string, unknown>>;
  components?: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
}

/**
 * The absolute path of a document. This module sits one folder below the package root both
 * as `src/openapi-documents.ts` and as `dist/openapi-documents.js`, and `openapi/` ships with
 * the package (`files` in package.json), so the same relative step works from either.
 */
export function openApiDocumentPath(name: OpenApiDocumentName): string {
  return resolve(__dirname, '..', 'openapi', `${name}.yaml`);
}

/**
 * Each document as JSON text, generated from its YAML by `pnpm generate` (a test fails when it
 * is stale): JSON.parse takes about a millisecond where parsing the YAML took ~0.1 s.
 */
const documentJson: Record<OpenApiDocumentName, string> = {
  'public-api': publicApiJson,
  'runner-api': runnerApiJson,
  'script-api': scriptApiJson,
};

/**
 * The parsed document, for the request validator and for serving `GET /v1/openapi.json`.
 * Each call returns a fresh object, so callers may change it (e.g. set `servers`) without
 * affecting one another.
 */
export function loadOpenApiDocument(name: OpenApiDocumentName): OpenApiDocument {
  const parsed: unknown = JSON.parse(documentJson[name]);
  if (!isOpenApiDocument(parsed)) {
    throw new TypeError(`${openApiDocumentPath(name)} is not an OpenAPI 3.1 document.`);
  }
  return parsed;
}

function isOpenApiDocument(value: unknown): value is OpenApiDocument {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate.openapi === 'string' &&
    candidate.openapi.startsWith('3.1') &&
    typeof candidate.info === 'object' &&
    typeof candidate.paths === 'object' &&
    candidate.paths !== null
  );
}

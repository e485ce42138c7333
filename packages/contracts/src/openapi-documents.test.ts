import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { parse } from 'yaml';
import {
  OPENAPI_DOCUMENT_NAMES,
  loadOpenApiDocument,
  openApiDocumentPath,
} from './openapi-documents';

describe('openapi documents', () => {
  it.each(OPENAPI_DOCUMENT_NAMES)('finds %s in the package folder', (name) => {
    const path = openApiDocumentPath(name);
    expect(isAbsolute(path)).toBe(true);
    expect(path).toBe(resolve(__dirname, '..', 'openapi', `${name}.yaml`));
    expect(existsSync(path)).toBe(true);
  });

  it.each([
    ['public-api', 'Gibbon CI public API', '/v1/orgs'],
    ['runner-api', 'Gibbon CI runner API', '/v1/runner/claim'],
    ['script-api', 'Gibbon CI Script API', '/v1/jobs/{jobId}/run'],
  ] as const)('loads %s as OpenAPI 3.1', (name, title, path) => {
    const document = loadOpenApiDocument(name);
    expect(document.openapi).toBe('3.1.0');
    expect(document.info.title).toBe(title);
    expect(Object.keys(document.paths)).toContain(path);
  });

  it.each(OPENAPI_DOCUMENT_NAMES)('loads %s exactly as its YAML file says', (name) => {
    expect(loadOpenApiDocument(name)).toEqual(
      parse(readFileSync(openApiDocumentPath(name), 'utf8')),
    );
  });

  it('hands out a fresh object each time', () => {
    const first = loadOpenApiDocument('public-api');
    first.info.title = 'changed';
    expect(loadOpenApiDocument('public-api').info.title).toBe('Gibbon CI public API');
  });
});

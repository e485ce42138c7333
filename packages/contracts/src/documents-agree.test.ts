import { OPENAPI_DOCUMENT_NAMES, loadOpenApiDocument } from './openapi-documents';
import type { OpenApiDocumentName } from './openapi-documents';
import {
  ARTIFACT_ID_PATTERN,
  COMMIT_SHA_PATTERN,
  ID_PATTERN,
  JOB_ID_PATTERN,
  LOG_ID_PATTERN,
  PARAM_NAME_PATTERN,
  PARAM_VALUE_MAX_LENGTH,
  SLUG_PATTERN,
} from './patterns';
import { JOB_KINDS } from './events';
import {
  BUILD_STATUSES,
  JOB_STATUSES,
  TERMINAL_BUILD_STATUSES,
  TERMINAL_JOB_STATUSES,
} from './statuses';

const documents = OPENAPI_DOCUMENT_NAMES.map((name) => ({
  name,
  schemas: loadOpenApiDocument(name).components?.schemas ?? {},
}));

/** Every document that defines `schemaName`, with that definition. */
function definitionsOf(schemaName: string): { name: OpenApiDocumentName; schema: unknown }[] {
  return documents
    .filter(({ schemas }) => schemaName in schemas)
    .map(({ name, schemas }) => ({ name, schema: schemas[schemaName] }));
}

describe('the three documents agree with one another', () => {
  // Each document is self-contained, so shared shapes are copies; a copy must never drift.
  const shared = [...new Set(documents.flatMap(({ schemas }) => Object.keys(schemas)))].filter(
    (schemaName) => definitionsOf(schemaName).length > 1,
  );

  it('shares the core schemas', () => {
    expect(shared).toEqual(
      expect.arrayContaining(['Error', 'ErrorCode', 'Build', 'Job', 'JobEndedEvent', 'Slug']),
    );
  });

  it.each(shared)('defines %s identically wherever it appears', (schemaName) => {
    const [first, ...others] = definitionsOf(schemaName);
    for (const other of others) {
      expect({ in: other.name, schema: other.schema }).toEqual({
        in: other.name,
        schema: first!.schema,
      });
    }
  });
});

describe('the documents agree with the TypeScript constants', () => {
  const enumOf = (schemaName: string) =>
    definitionsOf(schemaName).map(({ name, schema }) => ({
      name,
      values: (schema as { enum?: unknown }).enum,
    }));

  it.each([
    ['BuildStatus', BUILD_STATUSES],
    ['JobStatus', JOB_STATUSES],
    ['BuildEndStatus', TERMINAL_BUILD_STATUSES],
    ['JobEndStatus', TERMINAL_JOB_STATUSES],
    ['JobKind', JOB_KINDS],
  ] as const)('%s', (schemaName, values) => {
    const found = enumOf(schemaName);
    expect(found.length).toBeGreaterThan(0);
    for (const { name, values: documented } of found) {
      expect({ name, values: documented }).toEqual({ name, values: [...values] });
    }
  });

  it.each([
    ['Slug', SLUG_PATTERN],
    ['Id', ID_PATTERN],
    ['JobId', JOB_ID_PATTERN],
    ['LogId', LOG_ID_PATTERN],
    ['ArtifactId', ARTIFACT_ID_PATTERN],
    ['ParamName', PARAM_NAME_PATTERN],
    ['CommitSha', COMMIT_SHA_PATTERN],
  ] as const)('the %s pattern', (schemaName, pattern) => {
    const found = definitionsOf(schemaName);
    expect(found.length).toBeGreaterThan(0);
    for (const { name, schema } of found) {
      expect({ name, pattern: (schema as { pattern?: unknown }).pattern }).toEqual({
        name,
        pattern: pattern.source,
      });
    }
  });

  it('the longest parameter value', () => {
    for (const { schema } of definitionsOf('ParamValue')) {
      const value = (schema as { properties: { value: { maxLength: number } } }).properties.value;
      expect(value.maxLength).toBe(PARAM_VALUE_MAX_LENGTH);
    }
  });
});

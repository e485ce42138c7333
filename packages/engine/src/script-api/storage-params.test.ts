import { ARTIFACT_ID_PATTERN } from '@gibbon/contracts';
import { scriptApiDocument } from './script-api-document';
import { CACHE_KEY_PATTERN } from './storage-params';

/** The routes the OpenAPI validator skips are checked by these patterns: they must be the document's. */
describe('storage route checks', () => {
  it('use the patterns of the Script API document', () => {
    const schemas = (
      scriptApiDocument() as unknown as {
        components: { schemas: Record<string, { pattern: string }> };
      }
    ).components.schemas;
    expect(schemas.CacheKey?.pattern).toBe(CACHE_KEY_PATTERN.source);
    expect(schemas.ArtifactId?.pattern).toBe(ARTIFACT_ID_PATTERN.source);
  });
});

import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OPENAPI_DOCUMENT_NAMES, openApiDocumentPath } from './openapi-documents';
import { redoclyLint } from '../test/commands';

describe('redocly lint (recommended rules)', () => {
  it.each(OPENAPI_DOCUMENT_NAMES)('passes %s with no errors and no warnings', async (name) => {
    const report = await redoclyLint(openApiDocumentPath(name));
    expect(report).toEqual({ errors: 0, warnings: 0, ignored: 0, problems: [] });
  });

  it('reports a broken document', async () => {
    const scratch = await mkdtemp(join(tmpdir(), 'gibbon-redocly-'));
    try {
      const copy = join(scratch, 'public-api.yaml');
      await cp(openApiDocumentPath('public-api'), copy);
      const text = await readFile(copy, 'utf8');
      // A dangling $ref and an operation without its summary.
      const broken = text
        .replace("$ref: '#/components/schemas/OrgCreate'", "$ref: '#/components/schemas/Nope'")
        .replace('      summary: Liveness probe\n', '');
      await writeFile(copy, broken);
      const report = await redoclyLint(copy);
      expect(report.problems.map((problem) => problem.ruleId).sort()).toEqual([
        'no-unresolved-refs',
        'no-unused-components',
        'operation-summary',
      ]);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  });
});

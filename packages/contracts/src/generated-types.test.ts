import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { OPENAPI_DOCUMENT_NAMES } from './openapi-documents';
import { PACKAGE_ROOT, generateTypes } from '../test/commands';

const committed = (name: string) => resolve(PACKAGE_ROOT, 'src/generated', `${name}.ts`);
/** Per document: its types and its JSON text (what `loadOpenApiDocument` reads). */
const generatedFiles = OPENAPI_DOCUMENT_NAMES.flatMap((name) => [name, `${name}.document`]);

describe('generated types', () => {
  let scratch: string;

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'gibbon-contracts-'));
  });

  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('are what `pnpm generate` makes from the documents now', async () => {
    const out = join(scratch, 'fresh');
    const result = await generateTypes(resolve(PACKAGE_ROOT, 'openapi'), out);
    expect(result.stderr).not.toMatch(/error/i);
    for (const name of generatedFiles) {
      const fresh = await readFile(join(out, `${name}.ts`), 'utf8');
      const stored = await readFile(committed(name), 'utf8');
      const verdict =
        fresh === stored ? 'fresh' : `src/generated/${name}.ts is stale: run pnpm generate`;
      expect(verdict).toBe('fresh');
    }
  });

  it('go stale when a document changes', async () => {
    const openapi = join(scratch, 'openapi');
    await cp(resolve(PACKAGE_ROOT, 'openapi'), openapi, { recursive: true });
    const document = join(openapi, 'runner-api.yaml');
    const text = await readFile(document, 'utf8');
    await writeFile(document, text.replace('The lowest chunk number not yet stored', 'Changed'));
    const out = join(scratch, 'changed');
    await generateTypes(openapi, out);
    expect(await readFile(join(out, 'runner-api.ts'), 'utf8')).not.toBe(
      await readFile(committed('runner-api'), 'utf8'),
    );
    expect(await readFile(join(out, 'runner-api.document.ts'), 'utf8')).not.toBe(
      await readFile(committed('runner-api.document'), 'utf8'),
    );
    expect(await readFile(join(out, 'public-api.ts'), 'utf8')).toBe(
      await readFile(committed('public-api'), 'utf8'),
    );
  });
});

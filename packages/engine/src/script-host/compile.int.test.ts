import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnprocessableError } from '@gibbon/contracts/core';
import { compileBuildScript } from './compile';

let root: string;
let scriptPath: string;
let cacheDir: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'gibbon-compile-'));
  await mkdir(join(root, '.gibbon'));
  scriptPath = join(root, '.gibbon', 'build.ts');
  cacheDir = join(root, 'cache');
  await writeFile(join(root, '.gibbon', 'image.ts'), "export const image = 'alpine';\n");
  await writeFile(
    scriptPath,
    [
      "import { container } from '@gibbon/sdk';",
      "import { image } from './image';",
      "export default [container('a', { image, script: ['true'] })];",
    ].join('\n'),
  );
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('compileBuildScript', () => {
  it('reuses the cached bundle of an unchanged script folder', async () => {
    const first = await compileBuildScript({ scriptPath, cacheDir });
    const { mtimeMs } = await stat(first);
    expect(await compileBuildScript({ scriptPath, cacheDir })).toBe(first);
    expect((await stat(first)).mtimeMs).toBe(mtimeMs);
  });

  it('compiles again when a file next to the script changes', async () => {
    const first = await compileBuildScript({ scriptPath, cacheDir });
    await writeFile(join(root, '.gibbon', 'image.ts'), "export const image = 'debian';\n");
    const second = await compileBuildScript({ scriptPath, cacheDir });
    expect(second).not.toBe(first);
  });

  it('ignores a node_modules folder next to the script', async () => {
    const first = await compileBuildScript({ scriptPath, cacheDir });
    await mkdir(join(root, '.gibbon', 'node_modules', 'x'), { recursive: true });
    await writeFile(join(root, '.gibbon', 'node_modules', 'x', 'index.js'), '');
    expect(await compileBuildScript({ scriptPath, cacheDir })).toBe(first);
  });

  it('reports a compile error with the file and line', async () => {
    await writeFile(scriptPath, 'export default [\n  nope(\n');
    const compile = compileBuildScript({ scriptPath, cacheDir });
    await expect(compile).rejects.toThrow(UnprocessableError);
    await expect(compile).rejects.toThrow(/does not compile: .*build\.ts:\d+/);
  });
});

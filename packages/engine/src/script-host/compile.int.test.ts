import { cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
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

  it('reuses the bundle for the same script folder in another checkout (gibbon run copies)', async () => {
    const first = await compileBuildScript({ scriptPath, cacheDir });
    const { mtimeMs } = await stat(first);
    const copy = join(root, 'elsewhere');
    await cp(join(root, '.gibbon'), join(copy, '.gibbon'), { recursive: true });
    const again = await compileBuildScript({
      scriptPath: join(copy, '.gibbon', 'build.ts'),
      cacheDir,
    });
    expect(again).toBe(first);
    expect((await stat(again)).mtimeMs).toBe(mtimeMs);
  });

  it('compiles again when a file it imports from outside its folder differs', async () => {
    await writeFile(join(root, 'shared.ts'), "export const image = 'alpine';\n");
    await writeFile(join(root, '.gibbon', 'image.ts'), "export { image } from '../shared';\n");
    const bundle = await compileBuildScript({ scriptPath, cacheDir });
    expect(await readFile(bundle, 'utf8')).toContain('"alpine"');
    const copy = join(root, 'elsewhere');
    await cp(join(root, '.gibbon'), join(copy, '.gibbon'), { recursive: true });
    await writeFile(join(copy, 'shared.ts'), "export const image = 'debian';\n");
    const other = await compileBuildScript({
      scriptPath: join(copy, '.gibbon', 'build.ts'),
      cacheDir,
    });
    expect(await readFile(other, 'utf8')).toContain('"debian"');
    await writeFile(join(root, 'shared.ts'), "export const image = 'fedora';\n");
    expect(await readFile(await compileBuildScript({ scriptPath, cacheDir }), 'utf8')).toContain(
      '"fedora"',
    );
  });

  it('compiles again when a package it imports from its node_modules changes', async () => {
    const module = join(root, '.gibbon', 'node_modules', 'image-name');
    await mkdir(module, { recursive: true });
    await writeFile(join(module, 'index.js'), "exports.image = 'alpine';\n");
    await writeFile(join(root, '.gibbon', 'image.ts'), "export { image } from 'image-name';\n");
    await compileBuildScript({ scriptPath, cacheDir });
    await writeFile(join(module, 'index.js'), "exports.image = 'debian';\n");
    expect(await readFile(await compileBuildScript({ scriptPath, cacheDir }), 'utf8')).toContain(
      '"debian"',
    );
  });

  it('reports a compile error with the file and line', async () => {
    await writeFile(scriptPath, 'export default [\n  nope(\n');
    const compile = compileBuildScript({ scriptPath, cacheDir });
    await expect(compile).rejects.toThrow(UnprocessableError);
    await expect(compile).rejects.toThrow(/does not compile: .*build\.ts:\d+/);
  });
});

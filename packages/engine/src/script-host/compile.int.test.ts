import { cp, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnprocessableError } from '@gibbon/contracts';
import { compileBuildScript } from './compile';

/** Stands for the runner's machine; `root`, the checkout, lies inside it. */
let machine: string;
let root: string;
let scriptPath: string;
let cacheDir: string;

beforeEach(async () => {
  machine = await mkdtemp(join(tmpdir(), 'gibbon-compile-'));
  root = join(machine, 'checkout');
  await mkdir(root);
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
  await rm(machine, { recursive: true, force: true });
});

describe('compileBuildScript', () => {
  it('reuses the cached bundle of an unchanged script folder', async () => {
    const first = await compileBuildScript({ scriptPath, checkoutDir: root, cacheDir });
    const { mtimeMs } = await stat(first);
    expect(await compileBuildScript({ scriptPath, checkoutDir: root, cacheDir })).toBe(first);
    expect((await stat(first)).mtimeMs).toBe(mtimeMs);
  });

  it('compiles again when a file next to the script changes', async () => {
    const first = await compileBuildScript({ scriptPath, checkoutDir: root, cacheDir });
    await writeFile(join(root, '.gibbon', 'image.ts'), "export const image = 'debian';\n");
    const second = await compileBuildScript({ scriptPath, checkoutDir: root, cacheDir });
    expect(second).not.toBe(first);
  });

  it('ignores a node_modules folder next to the script', async () => {
    const first = await compileBuildScript({ scriptPath, checkoutDir: root, cacheDir });
    await mkdir(join(root, '.gibbon', 'node_modules', 'x'), { recursive: true });
    await writeFile(join(root, '.gibbon', 'node_modules', 'x', 'index.js'), '');
    expect(await compileBuildScript({ scriptPath, checkoutDir: root, cacheDir })).toBe(first);
  });

  it('reuses the bundle for the same script folder in another checkout (gibbon run copies)', async () => {
    const first = await compileBuildScript({ scriptPath, checkoutDir: root, cacheDir });
    const { mtimeMs } = await stat(first);
    const copy = join(root, 'elsewhere');
    await cp(join(root, '.gibbon'), join(copy, '.gibbon'), { recursive: true });
    const again = await compileBuildScript({
      scriptPath: join(copy, '.gibbon', 'build.ts'),
      checkoutDir: copy,
      cacheDir,
    });
    expect(again).toBe(first);
    expect((await stat(again)).mtimeMs).toBe(mtimeMs);
  });

  it('compiles again when a file it imports from outside its folder differs', async () => {
    await writeFile(join(root, 'shared.ts'), "export const image = 'alpine';\n");
    await writeFile(join(root, '.gibbon', 'image.ts'), "export { image } from '../shared';\n");
    const bundle = await compileBuildScript({ scriptPath, checkoutDir: root, cacheDir });
    expect(await readFile(bundle, 'utf8')).toContain('"alpine"');
    const copy = join(root, 'elsewhere');
    await cp(join(root, '.gibbon'), join(copy, '.gibbon'), { recursive: true });
    await writeFile(join(copy, 'shared.ts'), "export const image = 'debian';\n");
    const other = await compileBuildScript({
      scriptPath: join(copy, '.gibbon', 'build.ts'),
      checkoutDir: copy,
      cacheDir,
    });
    expect(await readFile(other, 'utf8')).toContain('"debian"');
    await writeFile(join(root, 'shared.ts'), "export const image = 'fedora';\n");
    expect(
      await readFile(await compileBuildScript({ scriptPath, checkoutDir: root, cacheDir }), 'utf8'),
    ).toContain('"fedora"');
  });

  it('compiles again when a package it imports from its node_modules changes', async () => {
    const module = join(root, '.gibbon', 'node_modules', 'image-name');
    await mkdir(module, { recursive: true });
    await writeFile(join(module, 'index.js'), "exports.image = 'alpine';\n");
    await writeFile(join(root, '.gibbon', 'image.ts'), "export { image } from 'image-name';\n");
    await compileBuildScript({ scriptPath, checkoutDir: root, cacheDir });
    await writeFile(join(module, 'index.js'), "exports.image = 'debian';\n");
    expect(
      await readFile(await compileBuildScript({ scriptPath, checkoutDir: root, cacheDir }), 'utf8'),
    ).toContain('"debian"');
  });

  it('reports a compile error with the file and line', async () => {
    await writeFile(scriptPath, 'export default [\n  nope(\n');
    const compile = compileBuildScript({ scriptPath, checkoutDir: root, cacheDir });
    await expect(compile).rejects.toThrow(UnprocessableError);
    await expect(compile).rejects.toThrow(/does not compile: .*build\.ts:\d+/);
  });

  describe('imports that lead out of the checkout (attack plan 27)', () => {
    const secret = 'runner-secret-4f1c9e';

    beforeEach(async () => {
      await writeFile(join(machine, 'runner-token.json'), JSON.stringify({ token: secret }));
      await writeFile(join(machine, 'master.txt'), secret);
    });

    async function refusal(imported: string): Promise<string> {
      await writeFile(
        join(root, '.gibbon', 'image.ts'),
        `import value from ${JSON.stringify(imported)};\nexport const image = String(value);\n`,
      );
      const error = await compileBuildScript({ scriptPath, checkoutDir: root, cacheDir }).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(UnprocessableError);
      const message = (error as Error).message;
      expect(message).toContain(`"${imported}" resolves outside the checkout`);
      expect(message).not.toContain(secret);
      // Where the import landed is not told (only the import as written).
      expect(message.replace(imported, '')).not.toContain(machine);
      return message;
    }

    it('refuses an absolute path to a file of the machine', async () => {
      await refusal(join(machine, 'runner-token.json'));
    });

    it('refuses a relative path that climbs out', async () => {
      await refusal('../../master.txt');
    });

    it('refuses a symlink in the checkout that leads out, for a file and for a folder', async () => {
      await symlink(join(machine, 'runner-token.json'), join(root, 'settings.json'));
      await refusal('../settings.json');
      await symlink(machine, join(root, '.gibbon', 'config'));
      await refusal('./config/master.txt');
    });

    it('refuses a package found in a node_modules above the checkout', async () => {
      const module = join(machine, 'node_modules', 'runner-config');
      await mkdir(module, { recursive: true });
      await writeFile(join(module, 'index.js'), `module.exports = ${JSON.stringify(secret)};\n`);
      await refusal('runner-config');
    });

    it('keeps what the checkout holds: its files, links within it, and Node’s built-in modules', async () => {
      await writeFile(join(root, 'image.json'), JSON.stringify('alpine'));
      await symlink(join(root, 'image.json'), join(root, '.gibbon', 'linked.json'));
      await writeFile(
        join(root, '.gibbon', 'image.ts'),
        "import image from './linked.json';\nimport 'node:fs';\nexport { image };\n",
      );
      const bundle = await compileBuildScript({ scriptPath, checkoutDir: root, cacheDir });
      expect(await readFile(bundle, 'utf8')).toContain('"alpine"');
    });
  });
});

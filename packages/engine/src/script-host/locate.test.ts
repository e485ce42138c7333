import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnprocessableError } from '@gibbon/contracts';
import { locateBuildFile } from './locate';

let checkout: string;

beforeEach(async () => {
  checkout = await mkdtemp(join(tmpdir(), 'gibbon-locate-'));
});

afterEach(async () => {
  await rm(checkout, { recursive: true, force: true });
});

async function put(name: string): Promise<void> {
  await mkdir(join(checkout, name, '..'), { recursive: true });
  await writeFile(join(checkout, name), '');
}

describe('locateBuildFile', () => {
  it('takes the first file of the spec’s order', async () => {
    await put('.monkeyci/build.yaml');
    await put('.gibbon/build.json');
    await put('.gibbon/build.js');
    expect(await locateBuildFile(checkout)).toMatchObject({
      name: '.gibbon/build.js',
      kind: 'javascript',
    });
    await put('.gibbon/build.ts');
    expect(await locateBuildFile(checkout)).toMatchObject({
      name: '.gibbon/build.ts',
      kind: 'typescript',
    });
  });

  it('finds a MonkeyCI file as a declarative build', async () => {
    await put('.monkeyci/build.yml');
    expect(await locateBuildFile(checkout)).toMatchObject({ kind: 'declarative' });
  });

  it("reads MonkeyCI's yaml, yml and json files as one pipeline, in MonkeyCI's order", async () => {
    await put('.monkeyci/build.json');
    await put('.monkeyci/build.yaml');
    const found = await locateBuildFile(checkout);
    expect(found.name).toBe('.monkeyci/build.yaml');
    expect(found.files.map((file) => file.name)).toEqual([
      '.monkeyci/build.yaml',
      '.monkeyci/build.json',
    ]);
  });

  it.each(['.monkeyci/build.clj', '.monkeyci/build.edn'])(
    'refuses %s, alone or beside a YAML file, saying what to write instead',
    async (code) => {
      await put(code);
      await expect(locateBuildFile(checkout)).rejects.toThrow(
        `${code} is MonkeyCI's Clojure or EDN form, which Gibbon does not run; write its jobs in .monkeyci/build.yaml`,
      );
      await put('.monkeyci/build.yaml');
      await expect(locateBuildFile(checkout)).rejects.toThrow(
        'which Gibbon does not run, and the folder is one pipeline with it;',
      );
      await put('.gibbon/build.ts');
      expect((await locateBuildFile(checkout)).name).toBe('.gibbon/build.ts');
    },
  );

  it('says which files it looked for when there is none', async () => {
    await expect(locateBuildFile(checkout)).rejects.toThrow(
      /No build file found.*\.gibbon\/build\.ts/,
    );
  });

  it('refuses a build file that is a symlink out of the checkout', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'gibbon-outside-'));
    await writeFile(join(outside, 'evil.ts'), '');
    await mkdir(join(checkout, '.gibbon'));
    await symlink(join(outside, 'evil.ts'), join(checkout, '.gibbon/build.ts'));
    await expect(locateBuildFile(checkout)).rejects.toThrow(UnprocessableError);
    await expect(locateBuildFile(checkout)).rejects.toThrow(/outside the checkout/);
    await rm(outside, { recursive: true, force: true });
  });
});

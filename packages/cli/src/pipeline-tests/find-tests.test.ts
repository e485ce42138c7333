import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '@gibbon/contracts';
import { findPipelineTests } from './find-tests';

describe('findPipelineTests', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gibbon-find-tests-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('lists .gibbon/**/*.test.ts and nothing else', async () => {
    const files = [
      '.gibbon/build.ts',
      '.gibbon/build.test.ts',
      '.gibbon/deploy/deploy.test.ts',
      '.gibbon/node_modules/x/y.test.ts',
      'src/app.test.ts',
    ];
    for (const file of files) {
      await mkdir(join(dir, file, '..'), { recursive: true });
      await writeFile(join(dir, file), '');
    }
    expect(await findPipelineTests(dir)).toEqual([
      '.gibbon/build.test.ts',
      '.gibbon/deploy/deploy.test.ts',
    ]);
  });

  it('says what to write when there is no .gibbon folder or no test in it', async () => {
    await expect(findPipelineTests(dir)).rejects.toThrow(InputError);
    await mkdir(join(dir, '.gibbon'));
    await writeFile(join(dir, '.gibbon', 'build.ts'), '');
    await expect(findPipelineTests(dir)).rejects.toThrow(
      /No pipeline tests in .*\.gibbon: write them as \.gibbon\/\*\.test\.ts/,
    );
  });
});

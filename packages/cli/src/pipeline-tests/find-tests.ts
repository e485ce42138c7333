/**
 * The pipeline tests of a repository: `.gibbon/**\/*.test.ts`. `gibbon test` checks there is
 * at least one before starting jest, so a repository without tests gets a message that says
 * what to write instead of jest's generic "No tests found".
 */
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { InputError } from '@gibbon/contracts';

async function testsUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const path = join(folder, entry.name);
      if (entry.isDirectory() && entry.name !== 'node_modules') return testsUnder(path);
      return Promise.resolve(entry.isFile() && entry.name.endsWith('.test.ts') ? [path] : []);
    }),
  );
  return nested.flat();
}

/** The test files, relative to `dir`; throws `InputError` when there are none. */
export async function findPipelineTests(dir: string): Promise<string[]> {
  const gibbonDir = join(dir, '.gibbon');
  const found = await testsUnder(gibbonDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return [];
    throw error;
  });
  if (found.length === 0) {
    throw new InputError(
      `No pipeline tests in ${gibbonDir}: write them as .gibbon/*.test.ts (e.g. .gibbon/build.test.ts importing '@gibbon/sdk/testing').`,
    );
  }
  return found.map((path) => relative(dir, path)).sort();
}

import { join } from 'node:path';
import { packagesLoadedByRequiring } from '@gibbon/test-kit';

describe('the CLI at start', () => {
  // Every command's module loads when the CLI starts; what only some commands need (Docker,
  // the engine, the storage SDK, the contracts' zod schemas) loads when one of them runs.
  it('loads none of the heavy packages a command may need later', () => {
    const loaded = packagesLoadedByRequiring(join(__dirname, 'cli.ts'));
    expect(loaded.has('tsx')).toBe(true); // the list is real
    for (const heavy of ['zod', 'dockerode', 'express', 'yaml', '@aws-sdk/client-s3', 'ajv']) {
      expect([heavy, loaded.has(heavy)]).toEqual([heavy, false]);
    }
  });
});

import { join } from 'node:path';
import { packagesLoadedByRequiring } from '@gibbon/test-kit';

/**
 * Which packages importing the engine's entry loads. The heavy ones load on first use: a runner
 * or `gibbon run` pays for them once a build needs them, and `gibbon run` of a TypeScript
 * script never loads YAML.
 */
describe('importing @gibbon/engine', () => {
  it('loads neither YAML, express, the request validator nor the AWS SDK', () => {
    const loaded = packagesLoadedByRequiring(join(__dirname, 'index.ts'));
    expect(loaded.has('jsonwebtoken')).toBe(true); // the engine's own, eagerly: the list is real
    for (const heavy of ['yaml', 'express', 'ajv', '@aws-sdk/client-s3']) {
      expect([heavy, loaded.has(heavy)]).toEqual([heavy, false]);
    }
  });
});

import { join } from 'node:path';
import { packagesLoadedByRequiring } from '@gibbon/test-kit';

describe('importing @gibbon/storage', () => {
  it('loads the S3 store’s AWS SDK only through @gibbon/storage/s3', () => {
    const main = packagesLoadedByRequiring(join(__dirname, 'index.ts'));
    expect(main.has('tar-stream')).toBe(true); // the archive code's, eagerly: the list is real
    expect(main.has('@aws-sdk/client-s3')).toBe(false);
    expect(
      packagesLoadedByRequiring(join(__dirname, 's3', 'index.ts')).has('@aws-sdk/client-s3'),
    ).toBe(true);
  });
});

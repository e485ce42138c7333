import { InputError } from '@gibbon/contracts';
import { blobStoreConfigFromEnv, createBlobStore } from './config';
import { LocalDiskBlobStore } from './local-disk/local-disk-blob-store';
import { S3BlobStore } from './s3';

const dataDir = '/var/lib/gibbon';

describe('blobStoreConfigFromEnv', () => {
  it('defaults to local disk under the data folder', () => {
    expect(blobStoreConfigFromEnv({}, { dataDir })).toEqual({
      kind: 'file',
      root: '/var/lib/gibbon/storage',
    });
  });

  it('reads the S3 settings and uses path-style URLs with an endpoint', () => {
    const env = {
      GIBBON_STORAGE: 's3',
      GIBBON_S3_BUCKET: 'builds',
      GIBBON_S3_ENDPOINT: 'http://127.0.0.1:9000',
      GIBBON_S3_REGION: 'eu-west-1',
    };
    expect(blobStoreConfigFromEnv(env, { dataDir })).toEqual({
      kind: 's3',
      bucket: 'builds',
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:9000',
      forcePathStyle: true,
      createBucket: true,
    });
  });

  it('falls back to AWS_REGION, then us-east-1', () => {
    const base = { GIBBON_STORAGE: 's3', GIBBON_S3_BUCKET: 'b' };
    expect(
      blobStoreConfigFromEnv({ ...base, AWS_REGION: 'ap-south-1' }, { dataDir }),
    ).toMatchObject({
      region: 'ap-south-1',
      forcePathStyle: false,
    });
    expect(blobStoreConfigFromEnv(base, { dataDir })).toMatchObject({ region: 'us-east-1' });
  });

  it.each([
    [{ GIBBON_STORAGE: 'ftp' }, /GIBBON_STORAGE must be "file" or "s3", not "ftp"/],
    [{ GIBBON_STORAGE: 's3' }, /needs GIBBON_S3_BUCKET/],
    [
      { GIBBON_STORAGE: 's3', GIBBON_S3_BUCKET: 'b', GIBBON_S3_ENDPOINT: 'not a url' },
      /GIBBON_S3_ENDPOINT "not a url" is not a URL/,
    ],
    [
      { GIBBON_STORAGE: 's3', GIBBON_S3_BUCKET: 'b', GIBBON_S3_ENDPOINT: 'ftp://host' },
      /must be an http:\/\/ or https:\/\/ URL/,
    ],
  ])('refuses %j with one clear InputError', (env, message) => {
    expect(() => blobStoreConfigFromEnv(env, { dataDir })).toThrow(InputError);
    expect(() => blobStoreConfigFromEnv(env, { dataDir })).toThrow(message);
  });
});

describe('createBlobStore', () => {
  it('builds the store the configuration names', async () => {
    expect(await createBlobStore({ kind: 'file', root: '/tmp/x' })).toBeInstanceOf(
      LocalDiskBlobStore,
    );
    const s3 = await createBlobStore({ kind: 's3', bucket: 'b', region: 'us-east-1' });
    expect(s3).toBeInstanceOf(S3BlobStore);
    void s3.close();
  });
});

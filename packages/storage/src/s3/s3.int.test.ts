import { startS3Server } from '@gibbon/test-kit';
import type { S3TestServer } from '@gibbon/test-kit';
import { describeBlobStoreContract } from '../../test/blob-store.contract';
import { S3BlobStore } from './s3-blob-store';

const MiB = 1024 * 1024;

let server: S3TestServer;

beforeAll(async () => {
  server = await startS3Server();
});

afterAll(async () => {
  await server.close();
});

describeBlobStoreContract('S3 (s3rver)', async () => {
  const store = new S3BlobStore({
    bucket: await server.createBucket(),
    region: server.region,
    endpoint: server.endpoint,
    credentials: server.credentials,
    partSize: 5 * MiB,
    listPageSize: 5,
  });
  await store.open();
  return {
    store,
    multipartSize: 11 * MiB,
    listPageSize: 5,
    dispose: () => store.close(),
  };
});

describe('S3BlobStore on its own', () => {
  const storeFor = (bucket: string, createBucket: boolean) =>
    new S3BlobStore({
      bucket,
      region: server.region,
      endpoint: server.endpoint,
      credentials: server.credentials,
      createBucket,
    });

  it('creates a missing bucket at open when allowed', async () => {
    const store = storeFor(`created-${Date.now()}`, true);
    await store.open();
    await store.put('k', 'v');
    expect((await store.head('k')).size).toBe(1);
    await store.close();
  });

  it('fails open with a clear message when the bucket is missing and may not be created', async () => {
    const store = storeFor('never-created', false);
    await expect(store.open()).rejects.toThrow(
      /S3 bucket "never-created" at http.* does not exist/,
    );
    await store.close();
  });
});

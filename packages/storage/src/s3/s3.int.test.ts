import { NotFoundError } from '@gibbon/contracts';
import { startS3FaultProxy, startS3Server } from '@gibbon/test-kit';
import type { S3FaultProxy, S3TestServer } from '@gibbon/test-kit';
import { describeBlobStoreContract } from '../../test/blob-store.contract';
import { failingStream, patternBytes, readAll } from '../../test/streams';
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
    // s3rver writes objects in place; S3 and MinIO replace them atomically.
    atomicOverwrites: false,
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

  it.each([
    ['exactly one part', 5 * MiB],
    ['one byte over a part', 5 * MiB + 1],
    ['one 12 MiB buffer', 12 * MiB],
  ])('round-trips a body of %s through the part buffers', async (_, size) => {
    const store = new S3BlobStore({
      bucket: await server.createBucket(),
      region: server.region,
      endpoint: server.endpoint,
      credentials: server.credentials,
      partSize: 5 * MiB,
      queueSize: 2,
    });
    const payload = patternBytes(size, size % 251);
    await store.put('parts/object', payload);
    const back = await readAll(await store.get('parts/object'));
    expect(back.length).toBe(size);
    expect(back.equals(payload)).toBe(true);
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

describe('S3BlobStore against a failing server', () => {
  let proxy: S3FaultProxy;
  let bucket: string;

  beforeEach(async () => {
    proxy = await startS3FaultProxy(server.endpoint);
    bucket = await server.createBucket();
  });

  afterEach(() => proxy.close());

  const storeVia = (maxAttempts: number, idleTimeoutMs?: number) =>
    new S3BlobStore({
      bucket,
      region: server.region,
      endpoint: proxy.endpoint,
      credentials: server.credentials,
      partSize: 5 * MiB,
      maxAttempts,
      ...(idleTimeoutMs === undefined ? {} : { idleTimeoutMs }),
    });

  const requestsTo = (method: string, key: string) =>
    proxy.requests.filter((each) => each.method === method && each.url.includes(`/${key}`));

  it('retries throttling and 5xx answers with backoff, then succeeds', async () => {
    const store = storeVia(5);
    proxy.failNext(2, 'PUT', 503, 'SlowDown');
    await store.put('retried/object', 'payload');
    expect(requestsTo('PUT', 'retried/object')).toHaveLength(3);

    proxy.failNext(1, 'GET', 500, 'InternalError');
    expect((await readAll(await store.get('retried/object'))).toString()).toBe('payload');
    expect(requestsTo('GET', 'retried/object')).toHaveLength(2);
    await store.close();
  });

  it('abandons a request S3 never answers after the idle timeout and retries it', async () => {
    const store = storeVia(3, 1_000);
    let hung = 0;
    proxy.rule = ({ method }) => (method === 'PUT' && hung++ === 0 ? { kind: 'hang' } : undefined);
    await store.put('stalled/object', 'payload');
    expect(requestsTo('PUT', 'stalled/object').map((each) => each.outcome)).toEqual([
      'hang',
      'passed',
    ]);
    expect((await readAll(await store.get('stalled/object'))).toString()).toBe('payload');
    await store.close();
  });

  it('gives up after maxAttempts with an error that names the operation and key', async () => {
    const store = storeVia(2);
    proxy.failNext(5, 'PUT', 503, 'SlowDown');
    await expect(store.put('doomed/object', 'payload')).rejects.toThrow(
      /S3 put of "doomed\/object" in bucket "test-\w+" failed/,
    );
    expect(requestsTo('PUT', 'doomed/object')).toHaveLength(2);
    await store.close();
  });

  it('aborts the multipart upload of a stream that fails', async () => {
    const store = storeVia(3);
    const failing = failingStream(patternBytes(11 * MiB, 5), new Error('runner crashed'));
    await expect(store.put('aborted/object', failing)).rejects.toThrow('runner crashed');
    const created = requestsTo('POST', 'aborted/object').filter(({ url }) =>
      url.includes('uploads'),
    );
    expect(created).toHaveLength(1);
    const aborted = requestsTo('DELETE', 'aborted/object').filter(({ url }) =>
      url.includes('uploadId='),
    );
    expect(aborted).toHaveLength(1);
    await expect(store.head('aborted/object')).rejects.toThrow(NotFoundError);
    await store.close();
  });
});

import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { startS3Server, type S3TestServer } from './s3-server';

describe('startS3Server', () => {
  let server: S3TestServer;
  beforeAll(async () => {
    server = await startS3Server();
  });
  afterAll(() => server.close());

  it('stores and reads an object through @aws-sdk/client-s3 on loopback', async () => {
    expect(server.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const bucket = await server.createBucket();
    const client = server.client();
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'logs/a.txt', Body: 'hello' }));
    const read = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'logs/a.txt' }));
    expect(await read.Body?.transformToString()).toBe('hello');
  });

  it('gives every test a fresh bucket', async () => {
    const first = await server.createBucket();
    const second = await server.createBucket();
    expect(first).not.toBe(second);
  });
});

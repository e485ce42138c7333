import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';

/** Static credentials s3rver accepts; they reach nothing outside the test. */
const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** What a test needs to talk to a running S3-protocol server. */
export interface S3TestServer {
  /** `http://127.0.0.1:PORT`, for path-style clients. */
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { accessKeyId: string; secretAccessKey: string };
  /**
   * The folder s3rver keeps its objects in (`{bucket}/{key}._S3rver_object`): lets a test scan
   * everything stored, e.g. for leaked secrets, without an S3 client.
   */
  readonly directory: string;
  /** A client configured for this server (path-style addressing). */
  client(): S3Client;
  /** Creates a bucket with a fresh name and returns the name. */
  createBucket(): Promise<string>;
  /** Stops the server and removes its files. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Starts s3rver on an ephemeral loopback port, storing objects in a fresh temporary folder.
 * Each test should take its own bucket from `createBucket()`.
 */
export async function startS3Server(): Promise<S3TestServer> {
  const directory = await mkdtemp(join(tmpdir(), 'gibbon-s3rver-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const region = 'us-east-1';
  const clients: S3Client[] = [];
  let closed = false;

  const client = (): S3Client => {
    const created = new S3Client({ endpoint, region, forcePathStyle: true, credentials });
    clients.push(created);
    return created;
  };

  return {
    endpoint,
    region,
    credentials,
    directory,
    client,
    async createBucket() {
      const bucket = `test-${randomBytes(6).toString('hex')}`;
      await client().send(new CreateBucketCommand({ Bucket: bucket }));
      return bucket;
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const each of clients) each.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

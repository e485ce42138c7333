import { CreateBucketCommand, HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import type { S3ClientConfig } from '@aws-sdk/client-s3';
import { isS3NotFound, s3ErrorCode } from './s3-errors';

/** Where the bucket is and how to reach it. */
export interface S3ConnectionOptions {
  bucket: string;
  region: string;
  /** For MinIO, s3rver or another S3-compatible server, e.g. `http://127.0.0.1:9000`. */
  endpoint?: string;
  /** Path-style URLs (`endpoint/bucket/key`), what MinIO and s3rver expect; on with an endpoint. */
  forcePathStyle?: boolean;
  /** Static credentials; when omitted the SDK's default chain (AWS_* variables, profiles, …). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Create the bucket in `open()` when it is missing. */
  createBucket?: boolean;
  /** Attempts per request (first try included) of the SDK's standard retry strategy (5). */
  maxAttempts?: number;
  /**
   * How long a request may go without a byte moving either way before it is abandoned (and
   * retried like a 5xx). Default 30 s. The SDK has no such limit of its own: one request to an
   * S3 that accepts it and never answers would hold the put, and the build, forever.
   */
  idleTimeoutMs?: number;
  /** How long opening a connection may take before the attempt counts as failed. Default 10 s. */
  connectTimeoutMs?: number;
}

/**
 * A client whose every request uses the SDK's standard retry strategy: exponential backoff
 * with full jitter on 5xx, throttling, connection errors and timeouts, `maxAttempts` attempts
 * in all. A request that stalls (no byte either way for `idleTimeoutMs`) or cannot connect
 * within `connectTimeoutMs` is such a timeout; a slow upload that keeps moving is not.
 */
export function createS3Client(options: S3ConnectionOptions): S3Client {
  const config: S3ClientConfig = {
    region: options.region,
    endpoint: options.endpoint,
    forcePathStyle: options.forcePathStyle ?? options.endpoint !== undefined,
    credentials: options.credentials,
    maxAttempts: options.maxAttempts ?? 5,
    retryMode: 'standard',
    requestHandler: {
      connectionTimeout: options.connectTimeoutMs ?? 10_000,
      socketTimeout: options.idleTimeoutMs ?? 30_000,
    },
  };
  if (options.endpoint !== undefined) {
    // S3-compatible servers (MinIO releases, s3rver) differ in their support of the newer
    // default CRC checksums; send checksums only where S3 requires them.
    config.requestChecksumCalculation = 'WHEN_REQUIRED';
    config.responseChecksumValidation = 'WHEN_REQUIRED';
  }
  return new S3Client(config);
}

/** Checks the bucket, creating it when missing if allowed; fails with one clear message. */
export async function ensureBucket(client: S3Client, options: S3ConnectionOptions): Promise<void> {
  const where = `S3 bucket "${options.bucket}" at ${options.endpoint ?? `region ${options.region}`}`;
  try {
    await client.send(new HeadBucketCommand({ Bucket: options.bucket }));
    return;
  } catch (error) {
    if (!isS3NotFound(error)) {
      throw new Error(`Cannot use ${where}: ${describeError(error)}`, { cause: error });
    }
  }
  if (!options.createBucket) {
    throw new Error(`${where} does not exist; create it, or allow the store to create it.`);
  }
  try {
    await client.send(new CreateBucketCommand({ Bucket: options.bucket }));
  } catch (error) {
    if (s3ErrorCode(error) === 'BucketAlreadyOwnedByYou') return;
    throw new Error(`Cannot create ${where}: ${describeError(error)}`, { cause: error });
  }
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

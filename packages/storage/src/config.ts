import { join } from 'node:path';
import { InputError } from '@gibbon/contracts';
import type { BlobStore } from './blob-store';
import { LocalDiskBlobStore } from './local-disk/local-disk-blob-store';
import type { LocalDiskBlobStoreOptions } from './local-disk/local-disk-blob-store';
import type { S3BlobStoreOptions } from './s3/s3-blob-store';

export interface FileStorageConfig extends LocalDiskBlobStoreOptions {
  kind: 'file';
}

export interface S3StorageConfig extends S3BlobStoreOptions {
  kind: 's3';
}

export type BlobStoreConfig = FileStorageConfig | S3StorageConfig;

/**
 * Reads spec section 9's storage settings: `GIBBON_STORAGE` (`file`, the default, keeps objects
 * in `{dataDir}/storage`; or `s3`), `GIBBON_S3_BUCKET` (required for s3), `GIBBON_S3_REGION`
 * (else `AWS_REGION`, else `us-east-1`), `GIBBON_S3_ENDPOINT` (MinIO and other S3-compatible
 * servers; switches to path-style URLs). Credentials come from the SDK's usual chain
 * (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, profiles, instance roles). A bad value is one
 * `InputError` saying which variable is wrong and what it should be.
 */
export function blobStoreConfigFromEnv(
  env: Record<string, string | undefined>,
  { dataDir }: { dataDir: string },
): BlobStoreConfig {
  const kind = env.GIBBON_STORAGE?.trim() || 'file';
  if (kind === 'file') return { kind: 'file', root: join(dataDir, 'storage') };
  if (kind !== 's3') {
    throw new InputError(`GIBBON_STORAGE must be "file" or "s3", not ${JSON.stringify(kind)}.`);
  }
  const bucket = env.GIBBON_S3_BUCKET?.trim();
  if (!bucket) {
    throw new InputError(
      'GIBBON_STORAGE=s3 needs GIBBON_S3_BUCKET, the name of the bucket to use.',
    );
  }
  const endpoint = env.GIBBON_S3_ENDPOINT?.trim() || undefined;
  if (endpoint !== undefined) checkEndpoint(endpoint);
  const region = env.GIBBON_S3_REGION?.trim() || env.AWS_REGION?.trim() || 'us-east-1';
  return {
    kind: 's3',
    bucket,
    region,
    endpoint,
    forcePathStyle: endpoint !== undefined,
    createBucket: true,
  };
}

function checkEndpoint(endpoint: string): void {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch (error) {
    throw new InputError(
      `GIBBON_S3_ENDPOINT ${JSON.stringify(endpoint)} is not a URL; use e.g. http://127.0.0.1:9000.`,
      { cause: error },
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError(`GIBBON_S3_ENDPOINT must be an http:// or https:// URL, not ${endpoint}.`);
  }
}

/**
 * Constructs the configured store; call `open()` on it before use (or use `openBlobStore`).
 * The S3 store's entry (and the AWS SDK with it) loads only when S3 is the configured kind.
 */
export async function createBlobStore(config: BlobStoreConfig): Promise<BlobStore> {
  switch (config.kind) {
    case 'file':
      return new LocalDiskBlobStore(config);
    case 's3': {
      const { S3BlobStore } = await import('@gibbon/storage/s3');
      return new S3BlobStore(config);
    }
  }
}

export async function openBlobStore(config: BlobStoreConfig): Promise<BlobStore> {
  const store = await createBlobStore(config);
  try {
    await store.open();
    return store;
  } catch (error) {
    await store.close();
    throw error;
  }
}

/**
 * `@gibbon/storage/s3`: the S3 store, an entry of its own because the AWS SDK it brings costs
 * a process about 0.2 s to load. Only a configured `GIBBON_STORAGE=s3` loads it
 * (`createBlobStore`); local disk, the CLI's `gibbon run` and the tests of everything else
 * never do.
 */
export { S3BlobStore } from './s3-blob-store';
export type { S3BlobStoreOptions } from './s3-blob-store';

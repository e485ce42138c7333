export type {
  BlobBody,
  BlobInfo,
  BlobStore,
  ByteRange,
  GetOptions,
  PutOptions,
} from './blob-store';
export {
  MAX_KEY_BYTES,
  MAX_SEGMENT_BYTES,
  artifactKey,
  artifactPrefix,
  buildPrefixes,
  cacheKey,
  cachePrefix,
  logChunkKey,
  logPrefix,
  validateId,
  validateKey,
  validatePrefix,
  workspaceKey,
} from './keys';
export type { BuildRef, JobRef, RepoRef } from './keys';
export { LocalDiskBlobStore } from './local-disk/local-disk-blob-store';
export type { LocalDiskBlobStoreOptions } from './local-disk/local-disk-blob-store';
export type { S3BlobStoreOptions } from './s3/s3-blob-store';
export { blobStoreConfigFromEnv, createBlobStore, openBlobStore } from './config';
export type { BlobStoreConfig, FileStorageConfig, S3StorageConfig } from './config';
export { packDirectory } from './archive/pack';
export type { PackOptions } from './archive/pack';
export { extractArchive } from './archive/extract';
export type { ExtractSummary } from './archive/extract';
export { restoreDirectory, storeDirectory, type StoredDirectory } from './archive/store-directory';
export { DEFAULT_ARCHIVE_LIMITS } from './archive/limits';
export type { ArchiveLimits } from './archive/limits';

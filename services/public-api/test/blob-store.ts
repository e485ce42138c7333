import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalDiskBlobStore, type BlobStore } from '@gibbon/storage';
import type { ServiceOptions } from '../src/services';
import { testGitHosts } from './git-hosts';
import { createMemoryLogger } from '../src/logger';

/** A real local-disk BlobStore in a temp folder, opened; `cleanup` closes and removes it. */
export async function openTempBlobStore(): Promise<{ store: BlobStore; cleanup(): Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'gibbon-blobs-'));
  const store = new LocalDiskBlobStore({ root, durable: false });
  await store.open();
  return {
    store,
    async cleanup() {
      await store.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** Service options for suites that do not exercise storage or commit statuses. */
export function plainServiceOptions(store: BlobStore): ServiceOptions {
  return {
    blobStore: store,
    publicUrl: 'http://127.0.0.1:8080',
    logger: createMemoryLogger(),
    gitHosts: testGitHosts,
  };
}

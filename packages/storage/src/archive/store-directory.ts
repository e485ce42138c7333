import type { BlobStore } from '../blob-store';
import { extractArchive } from './extract';
import type { ExtractSummary } from './extract';
import type { ArchiveLimits } from './limits';
import { packDirectory } from './pack';

/** Streams `dir` into the store as a tar.gz under `key` (artifacts, caches, workspaces). */
export async function storeDirectory(store: BlobStore, key: string, dir: string): Promise<void> {
  await store.put(key, packDirectory(dir, { followSymlinks: false }), {
    contentType: 'application/gzip',
  });
}

/** Streams the tar.gz at `key` back into `destDir`, under `extractArchive`'s checks. */
export async function restoreDirectory(
  store: BlobStore,
  key: string,
  destDir: string,
  limits?: Partial<ArchiveLimits>,
): Promise<ExtractSummary> {
  return extractArchive(await store.get(key), destDir, limits);
}

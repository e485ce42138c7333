import type { BlobStore } from '../blob-store';
import { extractArchive } from './extract';
import type { ExtractSummary } from './extract';
import type { ArchiveLimits } from './limits';
import { packDirectory } from './pack';

/** What `storeDirectory` stored that its caller may want to tell a user. */
export interface StoredDirectory {
  /** Hidden files and folders in it (`.git/`, `.env`), each hidden subtree once, in order. */
  readonly hidden: readonly string[];
}

/** Streams `dir` into the store as a tar.gz under `key` (artifacts, caches, workspaces). */
export async function storeDirectory(
  store: BlobStore,
  key: string,
  dir: string,
): Promise<StoredDirectory> {
  const hidden: string[] = [];
  const onHidden = (entryName: string) => void hidden.push(entryName);
  await store.put(key, packDirectory(dir, { followSymlinks: false, onHidden }), {
    contentType: 'application/gzip',
  });
  return { hidden };
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

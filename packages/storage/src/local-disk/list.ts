import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { BlobInfo } from '../blob-store';
import { isMissing } from '../fs-errors';

/**
 * Yields the objects under `objectsDir` whose key starts with `prefix`, in ascending UTF-8
 * byte order of keys (S3's order). One folder is read at a time, so memory grows with the
 * widest folder, not with the number of objects.
 */
export async function* listObjects(objectsDir: string, prefix: string): AsyncGenerator<BlobInfo> {
  const cut = prefix.lastIndexOf('/') + 1;
  const folderKey = prefix.slice(0, cut);
  const namePrefix = prefix.slice(cut);
  yield* walk(join(objectsDir, ...folderKey.split('/')), folderKey, namePrefix);
}

async function* walk(
  folder: string,
  folderKey: string,
  namePrefix: string,
): AsyncGenerator<BlobInfo> {
  const entries = await readFolder(folder);
  // A folder "a" sorts as "a/" so that "a.txt" < "a/b" < "a0", as the full keys do.
  const named = entries
    .filter((entry) => entry.name.startsWith(namePrefix))
    .filter((entry) => entry.isFile() || entry.isDirectory())
    .map((entry) => ({
      entry,
      sortKey: Buffer.from(entry.isDirectory() ? `${entry.name}/` : entry.name),
    }))
    .sort((a, b) => Buffer.compare(a.sortKey, b.sortKey));

  for (const { entry } of named) {
    const path = join(folder, entry.name);
    const key = `${folderKey}${entry.name}`;
    if (entry.isDirectory()) {
      yield* walk(path, `${key}/`, '');
      continue;
    }
    const info = await statFile(path);
    if (info) yield { key, size: info.size, lastModified: info.mtime };
  }
}

async function readFolder(folder: string): Promise<Dirent[]> {
  try {
    return await readdir(folder, { withFileTypes: true });
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
}

/** `undefined` when the file was deleted between reading its folder and now. */
async function statFile(path: string): Promise<{ size: number; mtime: Date } | undefined> {
  try {
    return await stat(path);
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

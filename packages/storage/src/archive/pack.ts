import { lstat, readdir, readlink, realpath } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { pack } from 'tar-stream';
import type { Pack } from 'tar-stream';
import { drained } from './drain';
import { checkSymlinkTarget } from './entry-path';
import { openInside } from './open-inside';

export interface PackOptions {
  /** Symlinks are archived as links, never followed; the option exists to say so. */
  followSymlinks?: false;
  /**
   * Told of each hidden entry (a name starting with "."), once per hidden subtree: `.git/`
   * (a folder, with "/"), not everything under it. Hidden entries are archived all the same.
   */
  onHidden?: (entryName: string) => void;
}

/**
 * Streams `dir` as a tar.gz: folders, files (with their permission bits and mtimes) and
 * symlinks that stay inside the tree, in name order. A symlink pointing outside the tree
 * fails the stream with an `InputError` naming it (extraction would refuse it anyway);
 * sockets, FIFOs and devices are left out. Errors reach the reader as a stream error.
 */
export function packDirectory(dir: string, options: PackOptions = {}): Readable {
  const archive = pack();
  const gzip = createGzip();
  archive.on('error', (error: Error) => gzip.destroy(error));
  gzip.on('close', () => archive.destroy());
  archive.pipe(gzip);
  // The tree's real path, resolved once: every file opened must lie under it.
  realpath(resolve(dir))
    .then((root) => addFolder(archive, root, [], options.onHidden))
    .then(
      () => archive.finalize(),
      (error: Error) => archive.destroy(error),
    );
  return gzip;
}

/** `onHidden` is left out below a hidden folder: its report covers what lies under it. */
async function addFolder(
  archive: Pack,
  root: string,
  segments: string[],
  onHidden: PackOptions['onHidden'],
): Promise<void> {
  const names = (await readdir(join(root, ...segments))).sort();
  for (const name of names) {
    const entrySegments = [...segments, name];
    const path = join(root, ...entrySegments);
    const entryName = entrySegments.join('/');
    const info = await lstat(path);
    const header = { name: entryName, mode: info.mode & 0o777, mtime: info.mtime };
    const hidden = name.startsWith('.');
    if (hidden) onHidden?.(info.isDirectory() ? `${entryName}/` : entryName);
    if (info.isDirectory()) {
      await addEntry(archive, { ...header, type: 'directory' });
      await addFolder(archive, root, entrySegments, hidden ? undefined : onHidden);
    } else if (info.isFile()) {
      await addFile(archive, { ...header, type: 'file', size: info.size }, path, root);
    } else if (info.isSymbolicLink()) {
      const linkname = await readlink(path);
      checkSymlinkTarget(entryName, entrySegments, linkname);
      await addEntry(archive, { ...header, type: 'symlink', linkname });
    }
  }
}

type Header = Parameters<Pack['entry']>[0];

function addEntry(archive: Pack, header: Header): Promise<void> {
  const done = entryDone();
  archive.entry(header, done.callback);
  return done.promise;
}

async function addFile(archive: Pack, header: Header, path: string, root: string) {
  const file = await openInside(path, root);
  const done = entryDone();
  const sink = archive.entry(header, done.callback);
  // A sink destroyed with the archive (the reader went away) fails this entry, not the process.
  sink.on('error', done.callback);
  try {
    for await (const chunk of file.createReadStream({ autoClose: false })) {
      if (sink.destroyed) break;
      if (!sink.write(chunk as Buffer)) await drained(sink);
    }
    sink.end(undefined);
  } catch (error) {
    sink.destroy(error instanceof Error ? error : new Error(String(error)));
    throw error;
  } finally {
    await file.close();
  }
  await done.promise;
}

/** tar-stream reports an entry written (or failed) through a callback; this is its promise. */
function entryDone(): { promise: Promise<void>; callback: (error?: Error | null) => void } {
  let callback: (error?: Error | null) => void = () => undefined;
  const promise = new Promise<void>((resolveEntry, reject) => {
    callback = (error) => (error ? reject(error) : resolveEntry());
  });
  // Awaited by the caller; this only keeps an early failure from being "unhandled".
  promise.catch(() => undefined);
  return { promise, callback };
}

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { posix } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Pack } from 'tar-stream';
import type { RootEntry } from './test-rootfs';

const owner = { uid: 0, gid: 0, uname: 'root', gname: 'root' } as const;

/**
 * Writes `entries` into a tar stream and finalizes it. Parent directories that no entry
 * names are added (0755) before their first child, so the archive extracts anywhere.
 * Files are streamed from the host, never held in memory whole.
 */
export async function writeRootFileSystem(
  pack: Pack,
  entries: readonly RootEntry[],
): Promise<void> {
  const written = new Set<string>(['/']);
  for (const entry of entries) {
    await writeParents(pack, posix.dirname(entry.path), written);
    if (entry.type === 'directory' && written.has(entry.path)) continue;
    await writeEntry(pack, entry);
    written.add(entry.path);
  }
  pack.finalize();
}

async function writeParents(pack: Pack, directory: string, written: Set<string>): Promise<void> {
  if (written.has(directory)) return;
  await writeParents(pack, posix.dirname(directory), written);
  await writeEntry(pack, { type: 'directory', path: directory, mode: 0o755 });
  written.add(directory);
}

async function writeEntry(pack: Pack, entry: RootEntry): Promise<void> {
  const name = entry.path.slice(1);
  switch (entry.type) {
    case 'directory':
      return add(pack, { name, type: 'directory', mode: entry.mode, ...owner });
    case 'symlink':
      return add(pack, { name, type: 'symlink', linkname: entry.target, ...owner });
    case 'text':
      return add(pack, { name, type: 'file', mode: entry.mode, ...owner }, entry.text);
    case 'file': {
      const { size } = await stat(entry.source);
      const sink = pack.entry({ name, type: 'file', mode: entry.mode, size, ...owner });
      await pipeline(createReadStream(entry.source), sink);
    }
  }
}

function add(pack: Pack, header: Parameters<Pack['entry']>[0], body?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: Error | null): void => (error ? reject(error) : resolve());
    if (body === undefined) pack.entry(header, done);
    else pack.entry(header, body, done);
  });
}

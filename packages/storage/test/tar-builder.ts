import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { pack } from 'tar-stream';
import { drained } from '../src/archive/drain';

/** One entry of a hand-built archive; `content` is written for files, `size` alone fakes it. */
export interface TestEntry {
  name: string;
  type?: 'file' | 'directory' | 'symlink' | 'link' | 'fifo';
  content?: string | Buffer;
  /** For files without `content`: this many zero bytes, produced as a stream. */
  zeros?: number;
  linkname?: string;
  mode?: number;
}

/**
 * Builds a tar.gz stream from `entries` exactly as given, without any of the checks the
 * real packer makes: hostile archives for extraction tests.
 */
export function tarGz(entries: TestEntry[]): Readable {
  const archive = pack();
  const gzip = createGzip();
  archive.on('error', () => gzip.destroy()); // the reader went away
  archive.pipe(gzip);
  void (async () => {
    for (const entry of entries) await addEntry(archive, entry);
    archive.finalize();
  })();
  return gzip;
}

async function addEntry(archive: ReturnType<typeof pack>, entry: TestEntry): Promise<void> {
  const type = entry.type ?? 'file';
  const header = { name: entry.name, type, linkname: entry.linkname, mode: entry.mode };
  if (entry.zeros === undefined) {
    await new Promise<void>((resolve, reject) =>
      archive.entry(header, entry.content ?? '', (error) => (error ? reject(error) : resolve())),
    );
    return;
  }
  let written: () => void = () => undefined;
  const entryWritten = new Promise<void>((resolve) => (written = resolve));
  const sink = archive.entry({ ...header, size: entry.zeros }, () => written());
  sink.on('error', () => undefined); // destroyed with the archive when the reader stops early
  const chunk = Buffer.alloc(1024 * 1024);
  for (let left = entry.zeros; left > 0; left -= chunk.length) {
    if (sink.destroyed) return;
    const accepted = sink.write(left >= chunk.length ? chunk : chunk.subarray(0, left));
    if (!accepted) await drained(sink);
  }
  sink.end(undefined);
  await entryWritten;
}

/** Gzipped zeros with no tar structure at all. */
export function gzippedZeros(bytes: number): Readable {
  const chunk = Buffer.alloc(1024 * 1024);
  return Readable.from(
    (function* () {
      for (let left = bytes; left > 0; left -= chunk.length) {
        yield left >= chunk.length ? chunk : chunk.subarray(0, left);
      }
    })(),
  ).pipe(createGzip());
}

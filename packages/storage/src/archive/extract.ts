import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import type { Extract } from 'tar-stream';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';
import { ByteCap } from './byte-cap';
import { drained } from './drain';
import { refuse } from './entry-path';
import { DEFAULT_ARCHIVE_LIMITS, maxTarStreamBytes } from './limits';
import type { ArchiveLimits } from './limits';
import { EntryWriter } from './write-entry';

export interface ExtractSummary {
  entries: number;
  /** Bytes of file content written. */
  bytes: number;
}

/**
 * Streams a tar.gz into `destDir` (created if missing), entry by entry, never holding more
 * than a chunk in memory. Hostile entries (absolute, `..`, through a symlink, symlinks or
 * hard links out of the tree) and archives over `limits` fail with an `InputError` naming
 * the entry; nothing is ever written outside `destDir`. Entries before the refused one stay
 * written, so callers extract into a folder they can throw away on failure.
 */
export async function extractArchive(
  source: Readable,
  destDir: string,
  limits: Partial<ArchiveLimits> = {},
): Promise<ExtractSummary> {
  const caps = { ...DEFAULT_ARCHIVE_LIMITS, ...limits };
  const root = resolve(destDir);
  await mkdir(root, { recursive: true });
  const writer = new EntryWriter(root);
  const entries = extract();
  const compressed = { bytes: 0 };
  source.on('data', (chunk: Buffer) => (compressed.bytes += chunk.length));
  const ratio = { compressed, maxRatio: caps.maxRatio, floorBytes: caps.ratioFloorBytes };
  const cap = new ByteCap(maxTarStreamBytes(caps), 'The archive', ratio);
  const tarBytes = decompress(source, cap);
  const feeding = feed(tarBytes, entries);
  // When extraction stops early, tar-stream destroys the unread entry with "premature
  // close"; the failure that stopped extraction is what the caller gets instead.
  entries.on('entry', (_header, stream) => stream.on('error', () => undefined));

  const summary: ExtractSummary = { entries: 0, bytes: 0 };
  try {
    for await (const entry of entries) {
      const { header } = entry;
      summary.entries += 1;
      if (summary.entries > caps.maxEntries) {
        throw refuse(header.name, `the archive has more than ${caps.maxEntries} entries`);
      }
      summary.bytes += header.size ?? 0;
      if (summary.bytes > caps.maxExpandedBytes) {
        throw refuse(
          header.name,
          `the archive expands to more than ${caps.maxExpandedBytes} bytes`,
        );
      }
      await writer.write(header, entry);
    }
  } catch (error) {
    source.destroy();
    tarBytes.destroy();
    await feeding;
    throw error;
  }
  await feeding;
  await writer.finish();
  return summary;
}

/**
 * Writes the decompressed tar into the extractor with backpressure. tar-stream's extractor
 * is a streamx stream, which Node's `pipeline` does not tear down cleanly when extraction
 * stops early; this loop ends or destroys it explicitly instead. Never rejects: a failure
 * destroys the extractor with it, and the entry loop throws it.
 */
async function feed(tarBytes: Readable, entries: Extract): Promise<void> {
  try {
    for await (const chunk of tarBytes) {
      if (entries.destroyed) return;
      if (!entries.write(chunk)) await drained(entries);
    }
    entries.end(undefined);
  } catch (error) {
    entries.destroy(error instanceof Error ? error : new Error(String(error)));
  }
}

/** source → gunzip → cap, each failure forwarded to the cap, which `feed` reads. */
function decompress(source: Readable, cap: ByteCap): ByteCap {
  const gunzip = createGunzip();
  source.on('error', (error) => cap.destroy(error));
  gunzip.on('error', (error) => cap.destroy(error));
  cap.on('error', () => undefined); // read by `feed`, which sees the error through for-await
  source.pipe(gunzip).pipe(cap);
  return cap;
}

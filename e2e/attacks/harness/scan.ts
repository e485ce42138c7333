import { execFile } from 'node:child_process';
import { open, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { formsOf, type Canary } from './canaries';

const run = promisify(execFile);

/** Files larger than this are read only in their first part; no file the suite makes is. */
const maxFileBytes = 256 * 1024 * 1024;
const maxGunzipBytes = 256 * 1024 * 1024;

/** Where a canary was found, in which form. */
export interface CanaryHit {
  readonly place: string;
  readonly canary: string;
  readonly form: string;
}

/** What to search: folders (walked recursively), texts already in hand, Postgres databases. */
export interface ScanPlaces {
  /** Data folders, process output files, the S3 server's object folder, work folders. */
  readonly folders: readonly string[];
  /** HTTP answers and other captured text, by name. */
  readonly texts?: Readonly<Record<string, string | Buffer>>;
  /** `postgres://` URLs dumped with `pg_dump` (the CLI of the Postgres the tests use). */
  readonly postgresUrls?: readonly string[];
}

/**
 * Searches every file under `folders` (gzip files also decompressed: artifacts, caches and any
 * gzipped log), each text and each database dump for every form of every canary (see
 * `formsOf`). Returns the hits; an empty list means no canary is anywhere it looked.
 */
export async function scanForCanaries(
  canaries: readonly Canary[],
  places: ScanPlaces,
): Promise<CanaryHit[]> {
  const needles = canaries.flatMap((canary) =>
    formsOf(canary.value).map((form) => ({ canary: canary.name, ...form })),
  );
  const hits: CanaryHit[] = [];
  const search = (place: string, haystack: Buffer) => {
    for (const needle of needles) {
      if (haystack.includes(needle.text)) {
        hits.push({ place, canary: needle.canary, form: needle.form });
      }
    }
  };
  for (const folder of places.folders) {
    for (const file of await filesUnder(folder)) {
      const bytes = await readBounded(file);
      search(file, bytes);
      const unzipped = gunzipIfGzip(bytes);
      if (unzipped) search(`${file} (gunzipped)`, unzipped);
    }
  }
  for (const [name, text] of Object.entries(places.texts ?? {})) {
    search(name, Buffer.isBuffer(text) ? text : Buffer.from(text));
  }
  for (const url of places.postgresUrls ?? []) {
    const { stdout } = await run('pg_dump', ['--no-owner', url], { maxBuffer: maxFileBytes });
    search(`pg_dump of ${new URL(url).pathname.slice(1)}`, Buffer.from(stdout));
  }
  return hits;
}

async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true }).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    },
  );
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

async function readBounded(file: string): Promise<Buffer> {
  const { size } = await stat(file);
  if (size <= maxFileBytes) return readFile(file).catch(() => Buffer.alloc(0));
  const handle = await open(file);
  try {
    const buffer = Buffer.alloc(maxFileBytes);
    await handle.read(buffer, 0, maxFileBytes, 0);
    return buffer;
  } finally {
    await handle.close();
  }
}

function gunzipIfGzip(bytes: Buffer): Buffer | undefined {
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return undefined;
  try {
    return gunzipSync(bytes, { maxOutputLength: maxGunzipBytes });
  } catch {
    return undefined;
  }
}

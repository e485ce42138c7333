import type { Readable } from 'node:stream';

/** What `put` accepts: a stream is consumed to its end; bytes and strings (UTF-8) are written as is. */
export type BlobBody = Readable | Uint8Array | string;

export interface PutOptions {
  /** MIME type kept with the object where the store can keep it (S3); a hint elsewhere. */
  contentType?: string;
}

/** An inclusive byte range, as in HTTP `Range: bytes=start-end`. `end` defaults to the last byte. */
export interface ByteRange {
  start: number;
  end?: number;
}

export interface GetOptions {
  range?: ByteRange;
}

/** What `head` and `list` report about one stored object. */
export interface BlobInfo {
  key: string;
  /** Size in bytes. */
  size: number;
  lastModified: Date;
}

/**
 * Object storage for logs, artifacts, caches and workspaces (spec section 7).
 *
 * Contract, held by every implementation and checked by one shared test suite:
 * - Keys are validated by `validateKey` (`keys.ts`) before anything else happens; a hostile key
 *   (`..`, absolute, NUL, backslash, empty segment, over 1024 bytes) is an `InputError` and
 *   touches nothing. Prefixes follow the same rules but may be empty or end with `/`.
 * - `put` is atomic: readers see the previous object or the whole new one, never part of it.
 *   When several writers race on one key, the last one to complete wins. If the body stream
 *   errors, `put` rejects with that error and no object (nor a part of one) becomes visible.
 *   Bodies are streamed: no implementation holds a whole object in memory.
 * - `get` resolves once the object is known to exist (a missing key is a `NotFoundError`,
 *   never a vendor error) and returns a stream of its bytes, or of the bytes of `range`
 *   (`end` past the last byte is clamped; a range starting at or past the end yields an empty
 *   stream). A stream already returned keeps reading the object it opened even if it is
 *   overwritten or deleted meanwhile on local disk; on S3 it follows S3's semantics.
 * - `head` returns size and last-modified time, or rejects with `NotFoundError`.
 * - `list(prefix)` yields every object whose key starts with `prefix` (plain string prefix, as
 *   in S3), in ascending UTF-8 byte order of keys, fetching pages underneath as it goes.
 *   Objects written or deleted during a listing may or may not appear.
 * - `delete` is idempotent: deleting a missing key succeeds. `deletePrefix` deletes what
 *   `list(prefix)` yields and returns how many objects it deleted.
 *
 * Lifecycle: construct with plain options, then `open()` once before any other call (it
 * creates the folder or the bucket when allowed, and fails with one clear message when the
 * store is unusable). Calls may then run concurrently. `close()` releases connections; it is
 * safe to call more than once, and after a failed `open()`.
 */
export interface BlobStore {
  open(): Promise<void>;
  put(key: string, body: BlobBody, options?: PutOptions): Promise<void>;
  get(key: string, options?: GetOptions): Promise<Readable>;
  head(key: string): Promise<BlobInfo>;
  list(prefix: string): AsyncIterable<BlobInfo>;
  delete(key: string): Promise<void>;
  deletePrefix(prefix: string): Promise<number>;
  close(): Promise<void>;
}

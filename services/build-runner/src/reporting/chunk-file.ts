import { open, type FileHandle } from 'node:fs/promises';

const NEWLINE = 0x0a;

/**
 * The on-disk buffer of one job's log: an append-only file that holds every line written
 * so far, shipped or not, so an outage of public-api costs disk, not memory. Appends are
 * serialized by the caller; reads may run beside them (they only touch appended bytes).
 */
export class ChunkFile {
  private handle: FileHandle | undefined;
  private opening: Promise<FileHandle> | undefined;
  /** Bytes appended and written to the file. */
  size = 0;

  constructor(readonly path: string) {}

  async append(text: string): Promise<void> {
    const bytes = Buffer.from(text, 'utf8');
    const handle = await this.fileHandle();
    await handle.write(bytes, 0, bytes.length, this.size);
    this.size += bytes.length;
  }

  async read(start: number, end: number): Promise<string> {
    const buffer = Buffer.alloc(end - start);
    const handle = await this.fileHandle();
    await handle.read(buffer, 0, buffer.length, start);
    return buffer.toString('utf8');
  }

  /**
   * Where a chunk that starts at `start` ends: everything appended when that is at most
   * `maxBytes`, else after the last whole line that fits, else (one very long line) at the
   * last UTF-8 character boundary that fits, so no chunk splits a character.
   */
  async chunkEnd(start: number, maxBytes: number): Promise<number> {
    if (this.size - start <= maxBytes) return this.size;
    const window = Buffer.alloc(maxBytes + 1);
    await (await this.fileHandle()).read(window, 0, window.length, start);
    const newline = window.lastIndexOf(NEWLINE, maxBytes - 1);
    if (newline >= 0) return start + newline + 1;
    let end = maxBytes;
    // 0b10xxxxxx is a continuation byte: the character started before it.
    while (end > 0 && ((window[end] ?? 0) & 0xc0) === 0x80) end -= 1;
    return start + (end > 0 ? end : maxBytes);
  }

  /** Closes the file; safe to call twice and before anything was written. */
  async close(): Promise<void> {
    const handle = await this.opening?.catch(() => undefined);
    this.opening = undefined;
    this.handle = undefined;
    await handle?.close();
  }

  private fileHandle(): Promise<FileHandle> {
    if (this.handle) return Promise.resolve(this.handle);
    this.opening ??= open(this.path, 'a+', 0o600).then((handle) => (this.handle = handle));
    return this.opening;
  }
}

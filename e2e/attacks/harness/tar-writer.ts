import { gzipSync } from 'node:zlib';

/** One entry of a hand-made archive, written exactly as given (hostile names included). */
export interface RawTarEntry {
  readonly name: string;
  readonly type: 'file' | 'directory' | 'symlink';
  readonly content?: string | Buffer;
  /** A symlink's target. */
  readonly linkTo?: string;
}

const BLOCK = 512;

/**
 * A ustar header for `entry`, checksum included. Names and link targets are written byte for
 * byte (at most 100 bytes each): the archives exist to carry `../`, absolute paths and links
 * that a tar tool would clean up or refuse to write.
 */
export function tarHeader(entry: RawTarEntry, size: number): Buffer {
  const header = Buffer.alloc(BLOCK);
  const put = (text: string, offset: number, length: number) => {
    const bytes = Buffer.from(text);
    if (bytes.length > length) throw new Error(`tar field too long for ${JSON.stringify(text)}`);
    bytes.copy(header, offset);
  };
  const octal = (value: number, length: number) => value.toString(8).padStart(length - 1, '0');
  put(entry.name, 0, 100);
  put(octal(entry.type === 'directory' ? 0o755 : 0o644, 8), 100, 8);
  put(octal(0, 8), 108, 8);
  put(octal(0, 8), 116, 8);
  put(octal(size, 12), 124, 12);
  put(octal(Math.floor(Date.now() / 1000), 12), 136, 12);
  header.fill(0x20, 148, 156);
  put(entry.type === 'file' ? '0' : entry.type === 'directory' ? '5' : '2', 156, 1);
  put(entry.linkTo ?? '', 157, 100);
  put('ustar', 257, 6);
  put('00', 263, 2);
  let sum = 0;
  for (const byte of header) sum += byte;
  put(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  return header;
}

/** The tar.gz of `entries`, in order. */
export function tarGz(entries: readonly RawTarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const content = entry.type === 'file' ? Buffer.from(entry.content ?? '') : Buffer.alloc(0);
    parts.push(tarHeader(entry, content.length), content);
    const padding = (BLOCK - (content.length % BLOCK)) % BLOCK;
    parts.push(Buffer.alloc(padding));
  }
  parts.push(Buffer.alloc(2 * BLOCK));
  return gzipSync(Buffer.concat(parts));
}

import { Readable } from 'node:stream';
import { InputError, NotFoundError } from '@gibbon/contracts';
import type { BlobStore } from '../src';
import { failingStream, patternBytes, readAll, sha256, slowStream } from './streams';

/** A fresh, opened store per test, and how to throw it away. */
export interface ContractSubject {
  store: BlobStore;
  /** Bytes that need more than one part (S3) or write call (disk); at least 2 parts' worth. */
  multipartSize: number;
  /** The page size the store was configured with; listings use more objects than this. */
  listPageSize: number;
  /**
   * False when the server behind the store does not replace objects atomically (s3rver writes
   * an object's file in place, so racing writers can interleave there; S3, MinIO and the disk
   * store replace atomically). The racing-writers test then checks only what our side owns.
   */
  atomicOverwrites: boolean;
  dispose(): Promise<void>;
}

const HOSTILE_KEYS: Array<[string, string]> = [
  ['parent segment', '../escape'],
  ['parent segment inside', 'logs/../../escape'],
  ['trailing parent segment', 'logs/..'],
  ['dot segment', 'logs/./x'],
  ['absolute path', '/etc/passwd'],
  ['NUL', 'logs/a\u0000b'],
  ['control character', 'logs/a\nb'],
  ['backslash', 'logs\\..\\escape'],
  ['empty segment', 'logs//x'],
  ['trailing slash', 'logs/x/'],
  ['empty key', ''],
  ['1025 bytes', 'k'.repeat(1025)],
  ['1204 bytes in 604 characters', Array.from({ length: 5 }, () => 'é'.repeat(120)).join('/')],
  ['a 256-byte segment', `k/${'s'.repeat(256)}`],
];

function byBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

async function collect(iterable: AsyncIterable<{ key: string }>): Promise<string[]> {
  const keys: string[] = [];
  for await (const { key } of iterable) keys.push(key);
  return keys;
}

/**
 * The `BlobStore` contract (see the interface's doc comment), run unchanged against every
 * implementation: `local-disk.int.test.ts` and `s3.int.test.ts`.
 */
export function describeBlobStoreContract(
  name: string,
  makeSubject: () => Promise<ContractSubject>,
): void {
  describe(`BlobStore contract: ${name}`, () => {
    let subject: ContractSubject;
    let store: BlobStore;

    beforeEach(async () => {
      subject = await makeSubject();
      store = subject.store;
    });

    afterEach(async () => {
      await subject.dispose();
    });

    describe('round trips', () => {
      it('stores and reads back an empty object, from bytes and from a stream', async () => {
        await store.put('a/empty-bytes', Buffer.alloc(0));
        await store.put('a/empty-stream', slowStream(Buffer.alloc(0)));
        for (const key of ['a/empty-bytes', 'a/empty-stream']) {
          expect(await readAll(await store.get(key))).toHaveLength(0);
          expect((await store.head(key)).size).toBe(0);
        }
      });

      it('stores a small string and reports its size and time', async () => {
        const before = Date.now();
        await store.put('a/hello.txt', 'héllo', { contentType: 'text/plain' });
        expect((await readAll(await store.get('a/hello.txt'))).toString('utf8')).toBe('héllo');
        const info = await store.head('a/hello.txt');
        expect(info).toMatchObject({ key: 'a/hello.txt', size: 6 });
        // Second-resolution clocks (S3's Last-Modified) round down.
        expect(info.lastModified.getTime()).toBeGreaterThanOrEqual(before - 2000);
        expect(info.lastModified.getTime()).toBeLessThanOrEqual(Date.now() + 2000);
      });

      it('streams a multi-part object through unchanged', async () => {
        const payload = patternBytes(subject.multipartSize, 7);
        await store.put('artifacts/big.bin', slowStream(payload, 256 * 1024));
        const back = await readAll(await store.get('artifacts/big.bin'));
        expect(back.length).toBe(payload.length);
        expect(sha256(back)).toBe(sha256(payload));
      });
    });

    describe('ranges', () => {
      const payload = Buffer.from('0123456789');
      beforeEach(() => store.put('r/digits', payload));
      const read = async (start: number, end?: number) =>
        (await readAll(await store.get('r/digits', { range: { start, end } }))).toString();

      it('reads an inclusive range, an open-ended one and a clamped one', async () => {
        expect(await read(2, 4)).toBe('234');
        expect(await read(7)).toBe('789');
        expect(await read(8, 100)).toBe('89');
        // A one-byte range (not 0-0: s3rver answers that one with the whole object).
        expect(await read(3, 3)).toBe('3');
      });

      it('reads nothing from a range that starts at or past the end', async () => {
        expect(await read(10)).toBe('');
        expect(await read(50, 60)).toBe('');
      });

      it('refuses malformed ranges', async () => {
        await expect(store.get('r/digits', { range: { start: -1 } })).rejects.toThrow(InputError);
        await expect(store.get('r/digits', { range: { start: 5, end: 4 } })).rejects.toThrow(
          InputError,
        );
        await expect(store.get('r/digits', { range: { start: 1.5 } })).rejects.toThrow(InputError);
      });
    });

    describe('listing', () => {
      it('lists more objects than one page, in key order, only under the prefix', async () => {
        const count = subject.listPageSize * 2 + 3;
        const keys = Array.from({ length: count }, (_, index) => `logs/o/r/1/job/${index}.log`);
        await Promise.all(keys.map((key) => store.put(key, key)));
        await store.put('logs/o/r/10/job/0.log', 'other build');
        await store.put('logs/o/s/1/job/0.log', 'other repo');

        const listed: Array<{ key: string; size: number }> = [];
        for await (const { key, size } of store.list('logs/o/r/1/')) listed.push({ key, size });

        const expected = [...keys].sort(byBytes);
        expect(listed.map(({ key }) => key)).toEqual(expected);
        expect(listed.every(({ key, size }) => size === Buffer.byteLength(key))).toBe(true);
      });

      it('treats the prefix as a plain string prefix, and "" as everything', async () => {
        for (const key of ['p/a.txt', 'p/a/b', 'p/a0', 'p/ab/c', 'p/b', 'q/x']) {
          await store.put(key, key);
        }
        // Sorted here: s3rver (unlike S3, MinIO and the disk store) lists a folder's subfolders
        // before its files. Key order is checked by the test above and by each store's own tests.
        const sorted = async (prefix: string) => (await collect(store.list(prefix))).sort(byBytes);
        expect(await sorted('p/a')).toEqual(['p/a.txt', 'p/a/b', 'p/a0', 'p/ab/c']);
        expect(await sorted('p/a/')).toEqual(['p/a/b']);
        expect(await sorted('')).toEqual(['p/a.txt', 'p/a/b', 'p/a0', 'p/ab/c', 'p/b', 'q/x']);
        expect(await collect(store.list('nothing/here/'))).toEqual([]);
      });
    });

    describe('delete', () => {
      it('deletes one object and is idempotent', async () => {
        await store.put('d/one', '1');
        await store.put('d/two', '2');
        await store.delete('d/one');
        await store.delete('d/one');
        await store.delete('d/never-written');
        await expect(store.head('d/one')).rejects.toThrow(NotFoundError);
        expect(await collect(store.list('d/'))).toEqual(['d/two']);
      });

      it('deletes everything under a prefix and nothing else', async () => {
        const doomed = Array.from({ length: subject.listPageSize + 2 }, (_, i) => `x/1/${i}`);
        await Promise.all([...doomed, 'x/10/keep', 'y/keep'].map((key) => store.put(key, key)));
        expect(await store.deletePrefix('x/1/')).toBe(doomed.length);
        expect(await collect(store.list(''))).toEqual(['x/10/keep', 'y/keep']);
        expect(await store.deletePrefix('x/1/')).toBe(0);
      });
    });

    describe('overwrite and concurrent writers', () => {
      it('replaces an object with a later put', async () => {
        await store.put('o/key', 'first, longer value');
        await store.put('o/key', 'second');
        expect((await readAll(await store.get('o/key'))).toString()).toBe('second');
        expect((await store.head('o/key')).size).toBe(6);
      });

      it('keeps exactly one complete payload when writers race on one key', async () => {
        const payloads = [1, 2, 3, 4].map((seed) => patternBytes(512 * 1024, seed));
        await Promise.all(payloads.map((payload) => store.put('c/key', slowStream(payload))));
        const back = await readAll(await store.get('c/key'));
        expect(back.length).toBe(512 * 1024);
        if (!subject.atomicOverwrites) return; // every writer succeeded; the server may mix
        expect(payloads.map(sha256)).toContain(sha256(back));
      });

      it('never shows an object before its put completes', async () => {
        let release: () => void = () => undefined;
        const gate = new Promise<void>((resolve) => (release = resolve));
        const body = gatedStream(gate);
        const writing = store.put('w/slow', body);
        await new Promise((resolve) => setTimeout(resolve, 100));
        await expect(store.head('w/slow')).rejects.toThrow(NotFoundError);
        release();
        await writing;
        expect((await readAll(await store.get('w/slow'))).toString()).toBe('firstsecond');
      });
    });

    describe('not found', () => {
      it('is a NotFoundError for get, ranged get and head', async () => {
        await expect(store.get('n/missing')).rejects.toThrow(NotFoundError);
        await expect(store.get('n/missing', { range: { start: 0 } })).rejects.toThrow(
          NotFoundError,
        );
        await expect(store.head('n/missing')).rejects.toThrow(NotFoundError);
      });

      it('does not take a "folder" of other keys for an object', async () => {
        await store.put('n/folder/inside', 'x');
        await expect(store.get('n/folder')).rejects.toThrow(NotFoundError);
        await expect(store.head('n/folder')).rejects.toThrow(NotFoundError);
      });
    });

    describe('hostile keys', () => {
      it.each(HOSTILE_KEYS)('refuses a key with %s in every operation', async (_, key) => {
        await expect(store.put(key, 'x')).rejects.toThrow(InputError);
        await expect(store.get(key)).rejects.toThrow(InputError);
        await expect(store.head(key)).rejects.toThrow(InputError);
        await expect(store.delete(key)).rejects.toThrow(InputError);
        expect(await collect(store.list(''))).toEqual([]);
      });

      it('refuses hostile prefixes in list and deletePrefix', async () => {
        await store.put('keep/me', 'x');
        for (const prefix of ['../', '/etc', 'a//', 'a\\b', 'logs/../']) {
          await expect(collect(store.list(prefix))).rejects.toThrow(InputError);
          await expect(store.deletePrefix(prefix)).rejects.toThrow(InputError);
        }
        expect(await collect(store.list(''))).toEqual(['keep/me']);
      });

      it('accepts a key of exactly 1024 bytes in segments of up to 255', async () => {
        const key = Array.from({ length: 5 }, () => 'x'.repeat(204)).join('/');
        expect(Buffer.byteLength(key)).toBe(1024);
        await store.put(key, 'edge');
        expect((await store.head(key)).size).toBe(4);
      });
    });

    describe('a stream that errors mid-upload', () => {
      it('rejects with the stream error and leaves no object', async () => {
        const failure = new Error('client went away');
        const sent = patternBytes(subject.multipartSize, 3);
        await expect(store.put('e/new', failingStream(sent, failure))).rejects.toThrow(
          'client went away',
        );
        await expect(store.head('e/new')).rejects.toThrow(NotFoundError);
        expect(await collect(store.list(''))).toEqual([]);
      });

      it('leaves the previous object whole when an overwrite fails', async () => {
        await store.put('e/old', 'previous');
        const failing = failingStream(patternBytes(1024, 1), new Error('boom'));
        await expect(store.put('e/old', failing)).rejects.toThrow('boom');
        expect((await readAll(await store.get('e/old'))).toString()).toBe('previous');
      });
    });
  });
}

/** Sends "first", waits for `gate`, then sends "second" and ends. */
function gatedStream(gate: Promise<void>): Readable {
  return Readable.from(
    (async function* () {
      yield Buffer.from('first');
      await gate;
      yield Buffer.from('second');
    })(),
    { objectMode: false },
  );
}

import { lstat, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ConflictError } from '@gibbon/contracts';
import { describeBlobStoreContract } from '../../test/blob-store.contract';
import { readAll } from '../../test/streams';
import { LocalDiskBlobStore } from './local-disk-blob-store';

describeBlobStoreContract('local disk', async () => {
  const parent = await mkdtemp(join(tmpdir(), 'gibbon-disk-store-'));
  const store = new LocalDiskBlobStore({ root: join(parent, 'root') });
  await store.open();
  return {
    store,
    multipartSize: 3 * 1024 * 1024,
    listPageSize: 10,
    atomicOverwrites: true,
    async dispose() {
      await store.close();
      // Nothing may ever be written beside the store's folder, whatever the keys were.
      expect(await readdir(parent)).toEqual(['root']);
      await rm(parent, { recursive: true, force: true });
    },
  };
});

describe('LocalDiskBlobStore on its own', () => {
  let root: string;
  let store: LocalDiskBlobStore;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'gibbon-disk-store-'));
    store = new LocalDiskBlobStore({ root });
    await store.open();
  });

  afterEach(() => rm(root, { recursive: true, force: true }));

  it('keeps objects as files named by their key segments', async () => {
    await store.put('logs/o/r/1/job/0000000000.log', 'line');
    expect(await readdir(join(root, 'objects/logs/o/r/1/job'))).toEqual(['0000000000.log']);
  });

  it('lists in UTF-8 byte order of keys across files and folders, as S3 does', async () => {
    for (const key of ['p/a0', 'p/a/b', 'p/ab/c', 'p/a.txt', 'p/é', 'p/z'])
      await store.put(key, key);
    const keys: string[] = [];
    for await (const { key } of store.list('p/')) keys.push(key);
    expect(keys).toEqual(['p/a.txt', 'p/a/b', 'p/a0', 'p/ab/c', 'p/z', 'p/é']);
  });

  it('keeps an open read on the object it opened when the key is overwritten', async () => {
    await store.put('r/key', 'old value');
    const reading = await store.get('r/key');
    await store.put('r/key', 'new value, longer');
    await store.delete('r/key');
    expect((await readAll(reading)).toString()).toBe('old value');
  });

  it('removes folders emptied by deletes, so the tree does not grow forever', async () => {
    await store.put('logs/o/r/1/job/0.log', 'line');
    await store.delete('logs/o/r/1/job/0.log');
    expect(await readdir(join(root, 'objects'))).toEqual([]);
  });

  it('refuses a key that is also the folder of other keys with a ConflictError', async () => {
    await store.put('a/b', 'inside');
    await expect(store.put('a', 'clash')).rejects.toThrow(ConflictError);
    await store.put('c', 'file');
    await expect(store.put('c/d', 'clash')).rejects.toThrow(ConflictError);
    expect(await readdir(join(root, 'tmp'))).toEqual([]);
  });

  it('does not show the temp file of a crashed write, and sweeps old ones at open', async () => {
    const leftover = join(root, 'tmp', 'crashed.part');
    await writeFile(leftover, 'half an object');
    const old = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000);
    await utimes(leftover, old, old);
    const fresh = join(root, 'tmp', 'in-progress.part');
    await writeFile(fresh, 'another process is writing this');

    const keys: string[] = [];
    for await (const { key } of store.list('')) keys.push(key);
    expect(keys).toEqual([]);

    await new LocalDiskBlobStore({ root }).open();
    expect(await readdir(join(root, 'tmp'))).toEqual(['in-progress.part']);
  });

  it('creates every folder 0700 and every object 0600, even under a umask of 022', async () => {
    const fresh = join(root, 'fresh-store');
    const previous = process.umask(0o022);
    try {
      const store = new LocalDiskBlobStore({ root: fresh });
      await store.open();
      await store.put('logs/o/r/1/job/0/0000000000.log', 'line');
      await store.put('artifacts/o/r/1/dist.tar.gz', Readable.from([Buffer.from('streamed')]));
    } finally {
      process.umask(previous);
    }
    const modes = await modesUnder(fresh);
    expect(modes.length).toBeGreaterThan(10);
    expect(modes.filter(({ mode }) => (mode & 0o077) !== 0)).toEqual([]);
    expect(modes).toContainEqual({ path: 'objects/artifacts/o/r/1/dist.tar.gz', mode: 0o600 });
    expect(modes).toContainEqual({ path: 'objects/logs/o/r/1/job', mode: 0o700 });
  });
});

/** Every path under `root` (and root itself, as '') with its permission bits. */
async function modesUnder(root: string, prefix = ''): Promise<{ path: string; mode: number }[]> {
  const here = join(root, prefix);
  const found = [{ path: prefix, mode: (await lstat(here)).mode & 0o777 }];
  for (const entry of await readdir(here, { withFileTypes: true })) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) found.push(...(await modesUnder(root, path)));
    else found.push({ path, mode: (await lstat(join(root, path))).mode & 0o777 });
  }
  return found;
}

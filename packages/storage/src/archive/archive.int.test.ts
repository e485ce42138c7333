import { randomBytes } from 'node:crypto';
import {
  chmod,
  lstat,
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  readlink,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '@gibbon/contracts';
import { gzippedZeros, tarGz } from '../../test/tar-builder';
import type { TestEntry } from '../../test/tar-builder';
import { readAll } from '../../test/streams';
import { LocalDiskBlobStore } from '../local-disk/local-disk-blob-store';
import { extractArchive } from './extract';
import { packDirectory } from './pack';
import { restoreDirectory, storeDirectory } from './store-directory';

let sandbox: string;
/** The extraction target; `outside` sits beside it and must stay untouched. */
let dest: string;
let outside: string;

beforeEach(async () => {
  sandbox = await mkdtemp(join(tmpdir(), 'gibbon-archive-'));
  dest = join(sandbox, 'dest');
  outside = join(sandbox, 'outside');
  await mkdir(outside);
  await writeFile(join(outside, 'passwd'), 'original');
});

afterEach(() => rm(sandbox, { recursive: true, force: true }));

async function expectOutsideUntouched(): Promise<void> {
  expect(await readdir(sandbox)).toEqual(expect.arrayContaining(['outside']));
  expect((await readdir(sandbox)).filter((name) => name !== 'dest')).toEqual(['outside']);
  expect(await readdir(outside)).toEqual(['passwd']);
  expect(await readFile(join(outside, 'passwd'), 'utf8')).toBe('original');
}

describe('storeDirectory and restoreDirectory', () => {
  it('round-trip files, folders, modes and symlinks inside the tree through a store', async () => {
    const source = join(sandbox, 'source');
    await mkdir(join(source, 'bin'), { recursive: true });
    await mkdir(join(source, 'lib/empty'), { recursive: true });
    await writeFile(join(source, 'lib/tool.js'), 'console.log(1)');
    await chmod(join(source, 'lib/tool.js'), 0o755);
    await writeFile(join(source, 'README'), 'read me');
    await chmod(join(source, 'README'), 0o600);
    await symlink('../lib/tool.js', join(source, 'bin/tool'));
    await writeFile(join(source, 'big.bin'), Buffer.alloc(3 * 1024 * 1024, 7));

    const store = new LocalDiskBlobStore({ root: join(sandbox, 'store') });
    await store.open();
    expect(await storeDirectory(store, 'artifacts/o/r/1/dist.tar.gz', source)).toEqual({
      hidden: [],
    });
    const summary = await restoreDirectory(store, 'artifacts/o/r/1/dist.tar.gz', dest);

    expect(summary.entries).toBe(7); // bin/, bin/tool, big.bin, lib/, lib/empty/, lib/tool.js, README
    expect(await readFile(join(dest, 'lib/tool.js'), 'utf8')).toBe('console.log(1)');
    expect((await stat(join(dest, 'lib/tool.js'))).mode & 0o777).toBe(0o755);
    expect((await stat(join(dest, 'README'))).mode & 0o777).toBe(0o600);
    expect(await readlink(join(dest, 'bin/tool'))).toBe('../lib/tool.js');
    expect((await lstat(join(dest, 'lib/empty'))).isDirectory()).toBe(true);
    expect((await readFile(join(dest, 'big.bin'))).equals(Buffer.alloc(3 * 1024 * 1024, 7))).toBe(
      true,
    );
  });

  it('names the hidden files and folders it stored, each hidden folder once, and stores them', async () => {
    const source = join(sandbox, 'source');
    await mkdir(join(source, '.git/objects'), { recursive: true });
    await writeFile(join(source, '.git/config'), '[core]');
    await mkdir(join(source, 'src/.cache'), { recursive: true });
    await writeFile(join(source, 'src/.npmrc'), 'registry=x');
    await writeFile(join(source, '.env'), 'A=1');
    await writeFile(join(source, 'index.js'), '1');
    const store = new LocalDiskBlobStore({ root: join(sandbox, 'store') });
    await store.open();
    const stored = await storeDirectory(store, 'artifacts/o/r/1/all.tar.gz', source);
    expect(stored.hidden).toEqual(['.env', '.git/', 'src/.cache/', 'src/.npmrc']);
    await restoreDirectory(store, 'artifacts/o/r/1/all.tar.gz', dest);
    expect(await readFile(join(dest, '.git/config'), 'utf8')).toBe('[core]');
  });

  it('refuses to pack a symlink that points outside the tree, naming it', async () => {
    const source = join(sandbox, 'source');
    await mkdir(source);
    await symlink('/etc', join(source, 'etc-link'));
    await expect(readAll(packDirectory(source))).rejects.toThrow(/"etc-link" is refused/);
  });
});

describe('extractArchive refuses hostile archives', () => {
  const hostile: Array<[string, TestEntry[], RegExp]> = [
    ['an absolute path', [{ name: '/tmp/evil', content: 'x' }], /"\/tmp\/evil".*absolute/],
    ['a climb with ..', [{ name: '../outside/passwd', content: 'pwned' }], /climbs out/],
    ['a climb in the middle', [{ name: 'a/../../outside/passwd', content: 'x' }], /climbs out/],
    ['a backslash climb', [{ name: '..\\outside\\passwd', content: 'x' }], /backslash/],
    [
      'a symlink to /etc followed by a write through it',
      [
        { name: 'link', type: 'symlink', linkname: '/etc' },
        { name: 'link/passwd', content: 'pwned' },
      ],
      /"link".*symlink to the absolute path/,
    ],
    [
      'a relative symlink out of the tree',
      [{ name: 'link', type: 'symlink', linkname: '../outside' }],
      /outside the tree/,
    ],
    [
      'a hard link out of the tree',
      [{ name: 'pw', type: 'link', linkname: '../outside/passwd' }],
      /"pw" is refused: it is a hard link to "..\/outside\/passwd", outside the tree/,
    ],
    [
      'an absolute hard link',
      [{ name: 'pw', type: 'link', linkname: '/etc/passwd' }],
      /"pw" is refused: it is a hard link to "\/etc\/passwd"/,
    ],
    ['a FIFO', [{ name: 'pipe', type: 'fifo' }], /type "fifo" is not supported/],
  ];

  it.each(hostile)('%s', async (_, entries, message) => {
    const failure = extractArchive(tarGz(entries), dest);
    await expect(failure).rejects.toThrow(InputError);
    await expect(extractArchive(tarGz(entries), join(sandbox, 'dest2'))).rejects.toThrow(message);
    await rm(join(sandbox, 'dest2'), { recursive: true, force: true });
    await expectOutsideUntouched();
  });

  it('refuses a write through a symlink even when the link itself stays inside', async () => {
    await mkdir(join(dest, 'real'), { recursive: true });
    await symlink('../outside', join(dest, 'escape')); // planted before extraction
    const entries = [{ name: 'escape/passwd', content: 'pwned' }];
    await expect(extractArchive(tarGz(entries), dest)).rejects.toThrow(
      /write through the symlink "escape"/,
    );
    await expectOutsideUntouched();
  });

  it('replaces a planted symlink at a file entry path instead of writing through it', async () => {
    await mkdir(dest, { recursive: true });
    await symlink(join(outside, 'passwd'), join(dest, 'config'));
    await extractArchive(tarGz([{ name: 'config', content: 'mine' }]), dest);
    expect(await readFile(join(dest, 'config'), 'utf8')).toBe('mine');
    expect((await lstat(join(dest, 'config'))).isSymbolicLink()).toBe(false);
    await expectOutsideUntouched();
  });

  it('refuses a gzip bomb of zeros over the expanded-size cap, naming the entry', async () => {
    const bomb = tarGz([{ name: 'zeros.bin', zeros: 8 * 1024 * 1024 }]);
    await expect(extractArchive(bomb, dest, { maxExpandedBytes: 1024 * 1024 })).rejects.toThrow(
      /"zeros.bin" is refused: the archive expands to more than 1048576 bytes/,
    );
    await expect(readdir(dest)).resolves.toEqual([]);
  });

  it('refuses gzipped zeros that are no tar at all once past the cap', async () => {
    const limits = { maxExpandedBytes: 1024 * 1024, maxEntries: 10 };
    await expect(extractArchive(gzippedZeros(16 * 1024 * 1024), dest, limits)).rejects.toThrow(
      /The archive expands to more than/,
    );
  });

  it('refuses a bomb by its expansion ratio long before the size cap, and not an ordinary archive', async () => {
    const bomb = tarGz([{ name: 'zeros.bin', zeros: 32 * 1024 * 1024 }]);
    const limits = { ratioFloorBytes: 4 * 1024 * 1024 };
    await expect(extractArchive(bomb, dest, limits)).rejects.toThrow(
      /The archive expands more than 200 times its compressed size/,
    );
    const varied = Array.from({ length: 64 }, (_, index) => ({
      name: `file-${index}.txt`,
      content: randomBytes(100_000).toString('hex'),
    }));
    await expect(extractArchive(tarGz(varied), join(dest, 'ok'), limits)).resolves.toMatchObject({
      entries: 64,
    });
  });

  it('refuses an archive with too many entries', async () => {
    const entries = Array.from({ length: 6 }, (_, index) => ({ name: `f${index}`, content: 'x' }));
    await expect(extractArchive(tarGz(entries), dest, { maxEntries: 5 })).rejects.toThrow(
      /"f5" is refused: the archive has more than 5 entries/,
    );
  });

  it('strips setuid bits and keeps permission bits', async () => {
    await extractArchive(tarGz([{ name: 'tool', content: '#!/bin/sh', mode: 0o4755 }]), dest);
    expect((await stat(join(dest, 'tool'))).mode & 0o7777).toBe(0o755);
  });

  it('extracts a hard link to a file inside the tree', async () => {
    const entries: TestEntry[] = [
      { name: 'a.txt', content: 'same' },
      { name: 'b.txt', type: 'link', linkname: 'a.txt' },
    ];
    await extractArchive(tarGz(entries), dest);
    expect((await stat(join(dest, 'b.txt'))).ino).toBe((await stat(join(dest, 'a.txt'))).ino);
  });
});

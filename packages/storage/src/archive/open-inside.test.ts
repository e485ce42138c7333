import { mkdir, mkdtemp, readdir, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '@gibbon/contracts';
import { openFor, openInside } from './open-inside';

let root: string;
let outside: string;
beforeEach(async () => {
  const base = await mkdtemp(join(tmpdir(), 'gibbon-open-inside-'));
  root = join(await realpath(base), 'tree');
  outside = join(base, 'outside');
  await mkdir(join(root, 'real'), { recursive: true });
  await mkdir(outside);
  await writeFile(join(root, 'real', 'file.txt'), 'inside\n');
  await writeFile(join(outside, 'secret.txt'), 'the runner keeps this\n');
});
afterEach(async () => {
  await rm(join(root, '..'), { recursive: true, force: true });
});

test('opens a file inside the tree', async () => {
  const file = await openInside(join(root, 'real', 'file.txt'), root);
  try {
    expect(await file.readFile('utf8')).toBe('inside\n');
  } finally {
    await file.close();
  }
});

test('refuses a file reached through a folder that is a symlink out of the tree', async () => {
  // What a script can do between the packer's listing and its open: swap a folder for a link.
  await symlink(outside, join(root, 'swapped'));
  const opening = openInside(join(root, 'swapped', 'secret.txt'), root);
  await expect(opening).rejects.toBeInstanceOf(InputError);
  await expect(opening).rejects.toThrow(`leads out of the archived folder (to ${outside}`);
});

test('refuses a file that is itself a symlink, even to a file inside', async () => {
  await symlink(join(root, 'real', 'file.txt'), join(root, 'link.txt'));
  await expect(openInside(join(root, 'link.txt'), root)).rejects.toThrow(
    'became a symbolic link while it was archived',
  );
});

test('a file created through a swapped folder is removed again and refused', async () => {
  await symlink(outside, join(root, 'swapped'));
  const creating = openInside(join(root, 'swapped', 'planted.sh'), root, openFor.creating);
  await expect(creating).rejects.toThrow('leads out of the archived folder');
  expect(await readdir(outside)).toEqual(['secret.txt']);
});

test('a folder is opened for chmod only when it is a folder inside the tree', async () => {
  await symlink(outside, join(root, 'swapped'));
  await expect(openInside(join(root, 'swapped'), root, openFor.folder)).rejects.toThrow(
    'became a symbolic link',
  );
  const folder = await openInside(join(root, 'real'), root, openFor.folder);
  await folder.close();
});

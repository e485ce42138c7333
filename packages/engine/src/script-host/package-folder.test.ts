import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageFolder } from './package-folder';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'gibbon-package-folder-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

test('a workspace: the dependency is nested in the package, behind a symlink', async () => {
  const sdk = join(root, 'packages/sdk');
  await mkdir(sdk, { recursive: true });
  await mkdir(join(root, 'packages/engine/node_modules/@gibbon'), { recursive: true });
  await symlink(sdk, join(root, 'packages/engine/node_modules/@gibbon/sdk'));
  expect(await packageFolder('@gibbon/sdk', join(root, 'packages/engine'))).toBe(sdk);
});

test('a pnpm deploy: the dependency sits beside the package, in the node_modules above it', async () => {
  const store = join(root, 'app/node_modules/.pnpm/@gibbon+engine@file/node_modules');
  const engine = join(store, '@gibbon/engine');
  await mkdir(engine, { recursive: true });
  await mkdir(join(store, '@gibbon/sdk'), { recursive: true });
  expect(await packageFolder('@gibbon/sdk', engine)).toBe(join(store, '@gibbon/sdk'));
});

test('a missing package is named in the error', async () => {
  await expect(packageFolder('@gibbon/nowhere', root)).rejects.toThrow(
    `The package @gibbon/nowhere is not installed where ${root} can load it.`,
  );
});

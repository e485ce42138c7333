import { mkdir, mkdtemp, realpath, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '@gibbon/contracts';
import { checkoutPath } from './checkout-path';

let checkout: string;
let outside: string;

beforeEach(async () => {
  checkout = await realpath(await mkdtemp(join(tmpdir(), 'gibbon-checkout-path-')));
  outside = await realpath(await mkdtemp(join(tmpdir(), 'gibbon-outside-')));
  await mkdir(join(checkout, 'dist'));
  await symlink(outside, join(checkout, 'escape'));
  await symlink(join(checkout, 'dist'), join(checkout, 'alias'));
});

afterEach(async () => {
  await rm(checkout, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

describe('checkoutPath', () => {
  it('resolves paths inside the checkout, existing or not', async () => {
    expect(await checkoutPath(checkout, 'dist')).toBe(join(checkout, 'dist'));
    expect(await checkoutPath(checkout, 'new/deep/folder')).toBe(join(checkout, 'new/deep/folder'));
    expect(await checkoutPath(checkout, 'alias/x')).toBe(join(checkout, 'alias/x'));
  });

  it.each([
    ['../../etc', /'\.\.'/],
    ['a/../../b', /'\.\.'/],
    ['/etc/passwd', /absolute/],
    ['a\0b', /NUL/],
    ['escape', /outside the checkout/],
    ['escape/new/file', /outside the checkout/],
  ])('refuses %j', async (path, reason) => {
    await expect(checkoutPath(checkout, path)).rejects.toThrow(InputError);
    await expect(checkoutPath(checkout, path)).rejects.toThrow(reason);
  });
});

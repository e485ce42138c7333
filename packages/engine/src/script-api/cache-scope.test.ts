import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalDiskBlobStore } from '@gibbon/storage';
import { CacheScope } from './cache-scope';

const repo = { org: 'acme', repo: 'web' };
const hash = 'ab'.repeat(32);
const scopeOf = (branch: string | null, tag: string | null = null) =>
  new CacheScope({ repo, branch, tag, mainBranch: 'main' });

// A trusted build of another branch can use the main branch's caches but never write one the
// main branch restores; restore keys find the newest earlier cache, own scope first.
describe('CacheScope', () => {
  let root: string;
  let store: LocalDiskBlobStore;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'gibbon-cache-scope-'));
    store = new LocalDiskBlobStore({ root });
    await store.open();
  });
  afterEach(async () => {
    await store.close();
    await rm(root, { recursive: true, force: true });
  });
  const put = (key: string) => store.put(key, Buffer.from('x'));

  it('keeps the main branch at the keys of spec section 7 and gives every other ref its own', () => {
    const main = scopeOf('main');
    expect(main.writeKey('npm', hash)).toBe(`caches/acme/web/npm-${hash}.tar.gz`);
    expect(main.writeKey('npm', undefined)).toBe('caches/acme/web/npm-unkeyed.tar.gz');
    const feature = scopeOf('feature/x').writeKey('npm', hash);
    expect(feature).toMatch(new RegExp(`^caches/acme/web/npm-s[0-9a-f]{16}${hash}\\.tar\\.gz$`));
    expect(scopeOf('other').writeKey('npm', hash)).not.toBe(feature);
    // A tag named like a branch is another ref, and so another scope.
    expect(scopeOf(null, 'feature/x').writeKey('npm', hash)).not.toBe(feature);
  });

  it("a branch reads its own cache, else main's; main never reads a branch's", async () => {
    const feature = scopeOf('feature/x');
    await put(scopeOf('main').writeKey('npm', hash));
    expect(await feature.find(store, 'npm', hash)).toEqual({
      key: `caches/acme/web/npm-${hash}.tar.gz`,
      from: 'main branch',
    });
    await put(feature.writeKey('npm', hash));
    expect(await feature.find(store, 'npm', hash)).toEqual({ key: feature.writeKey('npm', hash) });

    await put(scopeOf('poison').writeKey('lint', hash));
    expect(await scopeOf('main').find(store, 'lint', hash)).toBeUndefined();
    expect(await scopeOf('main').find(store, 'lint', hash, ['lint-'])).toBeUndefined();
  });

  it('restore keys take the newest match, the own scope before main', async () => {
    const main = scopeOf('main');
    const feature = scopeOf('feature/x');
    await put(main.writeKey('npm', '11'.repeat(32)));
    await new Promise((resolve) => setTimeout(resolve, 20));
    await put(main.writeKey('npm', '22'.repeat(32)));
    expect(await main.find(store, 'npm', hash, ['nope-', 'npm-'])).toEqual({
      key: main.writeKey('npm', '22'.repeat(32)),
      from: 'restore key',
      name: `npm-${'22'.repeat(32)}`,
    });
    expect(await feature.find(store, 'npm', hash, ['npm-'])).toMatchObject({
      from: 'main branch',
      name: `npm-${'22'.repeat(32)}`,
    });
    await put(feature.writeKey('npm', '33'.repeat(32)));
    expect(await feature.find(store, 'npm', hash, ['npm-'])).toEqual({
      key: feature.writeKey('npm', '33'.repeat(32)),
      from: 'restore key',
      name: `npm-${'33'.repeat(32)}`,
    });
  });
});

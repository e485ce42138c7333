import { createHash } from 'node:crypto';
import { NotFoundError } from '@gibbon/contracts';
import { cacheKey, cachePrefix, type BlobStore, type RepoRef } from '@gibbon/storage';

/** The hash part of the key of a cache without key files. */
export const UNKEYED_CACHE = 'unkeyed';

/** Where a build's cache came from, for its log line. */
export interface FoundCache {
  readonly key: string;
  /** `undefined`: the exact cache of the build's own scope. */
  readonly from?: 'main branch' | 'restore key';
  /** The stored `{id}-{hash}` name a restore key matched. */
  readonly name?: string;
}

/** The git facts that decide a build's cache scope. */
export interface CacheScopeFacts {
  readonly repo: RepoRef;
  readonly branch: string | null;
  readonly tag: string | null;
  readonly mainBranch: string;
}

/**
 * Which caches a (trusted) build reads and where it writes, so that no other branch can
 * poison what the main branch restores. A build of the repository's main branch reads and
 * writes the main scope: keys as spec section 7 writes them, `caches/{org}/{repo}/{id}-{hash}`.
 * Any other build (another branch, a tag, a commit) writes in a scope of its own ref: the hash
 * part starts with `s` and 16 hex digits of the ref's SHA-256 (no main-scope hash starts with
 * `s`: those are hex digits or `unkeyed`). It reads its own scope first, then the main scope.
 * Untrusted builds have no scope at all (they read and write no cache).
 */
export class CacheScope {
  private readonly marker: string | undefined;

  constructor(private readonly facts: CacheScopeFacts) {
    const { branch, tag, mainBranch } = facts;
    const ref =
      branch !== null ? `refs/heads/${branch}` : tag !== null ? `refs/tags/${tag}` : 'commit';
    this.marker =
      branch === mainBranch
        ? undefined
        : `s${createHash('sha256').update(ref).digest('hex').slice(0, 16)}`;
  }

  /** Where this build stores cache `id` of key files hashing to `hash` (or unkeyed). */
  writeKey(id: string, hash: string | undefined): string {
    return this.keyIn(this.marker, id, hash);
  }

  /**
   * The cache to restore: the exact key in this build's scope, then in the main scope, then the
   * newest cache a restore key matches (own scope before main, prefix by prefix).
   */
  async find(
    store: BlobStore,
    id: string,
    hash: string | undefined,
    restoreKeys: readonly string[] = [],
  ): Promise<FoundCache | undefined> {
    const own = this.writeKey(id, hash);
    if (await blobExists(store, own)) return { key: own };
    if (this.marker !== undefined) {
      const main = this.keyIn(undefined, id, hash);
      if (await blobExists(store, main)) return { key: main, from: 'main branch' };
    }
    for (const start of restoreKeys) {
      const found = await this.newestMatch(store, start);
      if (found) return found;
    }
    return undefined;
  }

  private keyIn(marker: string | undefined, id: string, hash: string | undefined): string {
    const { org, repo } = this.facts.repo;
    return cacheKey({ org, repo, id, hash: `${marker ?? ''}${hash ?? UNKEYED_CACHE}` });
  }

  /** The newest cache named `{start}…`, of this build's scope if it has one, else of main's. */
  private async newestMatch(store: BlobStore, start: string): Promise<FoundCache | undefined> {
    const prefix = cachePrefix({ ...this.facts.repo, start });
    const folder = prefix.slice(0, prefix.lastIndexOf('/') + 1);
    let own: { key: string; at: number } | undefined;
    let main: { key: string; at: number } | undefined;
    for await (const info of store.list(prefix)) {
      const name = info.key.slice(folder.length).replace(/\.tar\.gz$/, '');
      const hash = name.slice(name.lastIndexOf('-') + 1);
      const at = info.lastModified.getTime();
      const candidate = { key: info.key, at };
      if (this.marker !== undefined && hash.startsWith(this.marker)) {
        if (!own || at > own.at) own = candidate;
      } else if (!hash.startsWith('s')) {
        if (!main || at > main.at) main = candidate;
      }
    }
    const best = own ?? main;
    if (!best) return undefined;
    // The name as the job's own key would read it: without this build's scope marker.
    const stored = best.key.slice(folder.length).replace(/\.tar\.gz$/, '');
    const name = own && this.marker ? stored.replace(`-${this.marker}`, '-') : stored;
    const fromMain = !own && this.marker !== undefined;
    return { key: best.key, from: fromMain ? 'main branch' : 'restore key', name };
  }
}

/** Whether `key` is stored (a missing one is no error). */
export async function blobExists(store: BlobStore, key: string): Promise<boolean> {
  try {
    await store.head(key);
    return true;
  } catch (error) {
    if (error instanceof NotFoundError) return false;
    throw error;
  }
}

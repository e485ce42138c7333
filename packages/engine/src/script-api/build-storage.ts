import type { Readable } from 'node:stream';
import type { StoredArtifact, StoredCache } from '@gibbon/contracts';
import { ConflictError, NotAllowedError, NotFoundError } from '@gibbon/contracts';
import { artifactKey, type BlobStore, type BuildRef } from '@gibbon/storage';
import { blobExists, type CacheScope } from './cache-scope';
import { UNTRUSTED_CACHE_READ } from './storage-job-files';

/**
 * Artifacts and caches of one build in the BlobStore, at the keys of spec section 7. Ids
 * are validated by the storage key builders, so a hostile id never reaches a key. Bodies are
 * streamed through, never held in memory.
 */
export class BuildStorage {
  constructor(
    private readonly store: BlobStore,
    private readonly build: BuildRef,
    private readonly trusted: boolean,
    private readonly caches: CacheScope,
    /**
     * A re-run of failed jobs only: the builds whose artifacts the reused jobs saved, nearest
     * first (a job reused twice saved them two builds back).
     */
    private readonly reusedFrom: readonly number[] = [],
  ) {}

  /** Write-once: no job replaces an artifact another job (or an earlier attempt) saved. */
  async putArtifact(id: string, body: Readable): Promise<StoredArtifact> {
    const key = artifactKey({ ...this.build, id });
    if (await blobExists(this.store, key)) {
      body.resume();
      throw new ConflictError(
        `Artifact ${id} was already saved by this build; artifact ids are written once per build, so save under another id.`,
      );
    }
    await this.store.put(key, body, { contentType: 'application/gzip' });
    return { id, size: (await this.store.head(key)).size };
  }

  /** This build's artifact, else (a re-run of failed jobs) the one a reused job saved. */
  async getArtifact(id: string): Promise<Readable> {
    const builds = [this.build.build, ...this.reusedFrom];
    for (const build of builds.slice(0, -1)) {
      const key = artifactKey({ ...this.build, build, id });
      if (await blobExists(this.store, key)) return this.store.get(key);
    }
    return this.store.get(artifactKey({ ...this.build, build: builds.at(-1)!, id }));
  }

  /** Untrusted builds (pull requests from forks) restore caches but never write them. */
  async putCache(id: string, hash: string | undefined, body: Readable): Promise<StoredCache> {
    if (!this.trusted) throw new NotAllowedError('An untrusted build may not write caches.');
    const key = this.caches.writeKey(id, hash);
    await this.store.put(key, body, { contentType: 'application/gzip' });
    return { id, key: hash ?? null, size: (await this.store.head(key)).size };
  }

  /**
   * Untrusted builds read no cache: what trusted builds stored may hold their secrets. A
   * trusted build reads its own branch's, else the main branch's (`CacheScope`).
   */
  async getCache(id: string, hash: string | undefined): Promise<Readable> {
    if (!this.trusted) throw new NotFoundError(`Cache ${id} not restored: ${UNTRUSTED_CACHE_READ}`);
    const found = await this.caches.find(this.store, id, hash);
    if (!found) throw new NotFoundError(`No cache ${id}${hash ? ` of key ${hash}` : ''} yet.`);
    return this.store.get(found.key);
  }
}

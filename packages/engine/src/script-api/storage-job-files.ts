import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import type { ContainerJob } from '@gibbon/contracts';
import { hiddenFilesWarning, InputError, NotFoundError } from '@gibbon/contracts';
import {
  artifactKey,
  cacheKey,
  restoreDirectory,
  storeDirectory,
  type BlobStore,
  type BuildRef,
} from '@gibbon/storage';
import type { JobLog } from '../logs/job-log';
import { checkoutPath } from './checkout-path';
import type { JobFiles } from './job-files';

/**
 * Caches hold what trusted builds wrote (a token an install step left in a config file), so
 * an untrusted build (a pull request from a fork) reads none, as it writes none.
 */
export const UNTRUSTED_CACHE_READ =
  'an untrusted build (a pull request from a fork) reads no caches, which trusted builds wrote.';

/** The hash part of the key of a cache without key files (shared with the cache routes). */
export const UNKEYED_CACHE = 'unkeyed';

type CacheRef = NonNullable<ContainerJob['caches']>[number];

/**
 * Artifacts and caches of container jobs as tar.gz archives in the BlobStore (spec section
 * 7), through the storage package's directory helpers. Artifact and cache paths are folders
 * inside the checkout. Untrusted builds restore caches but never write them.
 */
export class StorageJobFiles implements JobFiles {
  constructor(
    private readonly store: BlobStore,
    private readonly build: BuildRef,
    private readonly checkoutDir: string,
    private readonly trusted: boolean,
  ) {}

  async restore(job: ContainerJob, log: JobLog): Promise<void> {
    for (const ref of job.restoreArtifacts ?? []) {
      const dest = await checkoutPath(this.checkoutDir, ref.path);
      try {
        await restoreDirectory(this.store, artifactKey({ ...this.build, id: ref.id }), dest);
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
        throw new NotFoundError(
          `Artifact ${ref.id} was not saved by an earlier job of this build.`,
        );
      }
      log.system(`Restored artifact ${ref.id} into ${ref.path}`);
    }
    for (const cache of job.caches ?? []) {
      const dest = await checkoutPath(this.checkoutDir, cache.path);
      if (!this.trusted) {
        log.system(`Cache ${cache.id} not restored: ${UNTRUSTED_CACHE_READ}`);
        continue;
      }
      try {
        await restoreDirectory(this.store, await this.cacheKeyOf(cache), dest);
        log.system(`Restored cache ${cache.id} into ${cache.path}`);
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
        log.system(`No cache ${cache.id} yet`);
      }
    }
  }

  async save(job: ContainerJob, log: JobLog): Promise<void> {
    for (const ref of job.saveArtifacts ?? []) {
      const source = await this.folder(ref.path, `Artifact ${ref.id}`);
      const stored = await storeDirectory(
        this.store,
        artifactKey({ ...this.build, id: ref.id }),
        source,
      );
      log.system(`Saved artifact ${ref.id} from ${ref.path}`);
      if (stored.hidden.length > 0) log.system(hiddenFilesWarning(ref.id, stored.hidden));
    }
    if (!this.trusted) return;
    for (const cache of job.caches ?? []) {
      const source = await this.folder(cache.path, `Cache ${cache.id}`);
      await storeDirectory(this.store, await this.cacheKeyOf(cache), source);
      log.system(`Saved cache ${cache.id} from ${cache.path}`);
    }
  }

  private async folder(path: string, what: string): Promise<string> {
    const absolute = await checkoutPath(this.checkoutDir, path);
    const info = await stat(absolute).catch(() => undefined);
    if (!info?.isDirectory()) {
      throw new InputError(`${what}: ${path} is not a folder in the checkout after the job.`);
    }
    return absolute;
  }

  /** `caches/{org}/{repo}/{id}-{hash}`: the hash of the key files' contents, when given. */
  private async cacheKeyOf(cache: CacheRef): Promise<string> {
    const { org, repo } = this.build;
    if (!cache.key?.length) return cacheKey({ org, repo, id: cache.id, hash: UNKEYED_CACHE });
    const hash = createHash('sha256');
    for (const file of cache.key) {
      hash.update(`\0${file}\0`).update(await readFile(await checkoutPath(this.checkoutDir, file)));
    }
    return cacheKey({ org, repo, id: cache.id, hash: hash.digest('hex') });
  }
}

import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import type { ContainerJob } from '@gibbon/contracts';
import { hiddenFilesWarning, InputError, NotFoundError } from '@gibbon/contracts';
import {
  artifactKey,
  restoreDirectory,
  storeDirectory,
  type BlobStore,
  type BuildRef,
} from '@gibbon/storage';
import type { JobLog } from '../logs/job-log';
import type { CacheScope, FoundCache } from './cache-scope';
import { checkoutPath } from './checkout-path';
import type { JobFiles, JobOutcome } from './job-files';

/**
 * Caches hold what trusted builds wrote (a token an install step left in a config file), so
 * an untrusted build (a pull request from a fork) reads none, as it writes none.
 */
export const UNTRUSTED_CACHE_READ =
  'an untrusted build (a pull request from a fork) reads no caches, which trusted builds wrote.';

type CacheRef = NonNullable<ContainerJob['caches']>[number];

/** "from the main branch", "from npm-1a2b… (restore key)": where a restored cache came from. */
function originOf(found: FoundCache): string {
  if (found.from === 'main branch')
    return found.name ? ` (from ${found.name} of the main branch)` : ' (from the main branch)';
  if (found.from === 'restore key')
    return ` (from ${found.name ?? 'an earlier key'}, by restore key)`;
  return '';
}

/**
 * Artifacts and caches of container jobs as tar.gz archives in the BlobStore (spec section
 * 7), through the storage package's directory helpers. Artifact and cache paths are folders
 * inside the checkout. Untrusted builds neither restore nor write caches; trusted ones read
 * and write in their branch's scope (`CacheScope`).
 */
export class StorageJobFiles implements JobFiles {
  constructor(
    private readonly store: BlobStore,
    private readonly build: BuildRef,
    private readonly checkoutDir: string,
    private readonly trusted: boolean,
    private readonly caches: CacheScope,
    /**
     * A re-run of failed jobs only: the builds whose artifacts the reused jobs saved, nearest
     * first (a job reused twice saved them two builds back).
     */
    private readonly reusedFrom: readonly number[] = [],
  ) {}

  async restore(job: ContainerJob, log: JobLog): Promise<void> {
    for (const ref of job.restoreArtifacts ?? []) {
      const dest = await checkoutPath(this.checkoutDir, ref.path);
      const from = await this.restoreArtifact(ref.id, dest);
      log.system(
        `Restored artifact ${ref.id} into ${ref.path}${from === undefined ? '' : ` (saved by build #${from}, whose job this build reuses)`}`,
      );
    }
    for (const cache of job.caches ?? []) {
      const dest = await checkoutPath(this.checkoutDir, cache.path);
      if (!this.trusted) {
        log.system(`Cache ${cache.id} not restored: ${UNTRUSTED_CACHE_READ}`);
        continue;
      }
      const hash = await this.hashOf(cache);
      const found = await this.caches.find(this.store, cache.id, hash, cache.restoreKeys);
      if (!found) {
        log.system(`No cache ${cache.id} yet`);
        continue;
      }
      try {
        await restoreDirectory(this.store, found.key, dest);
        log.system(`Restored cache ${cache.id} into ${cache.path}${originOf(found)}`);
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
        log.system(`No cache ${cache.id} yet`);
      }
    }
  }

  /** Restores an artifact of this build, else of the build it reuses jobs of; answers which. */
  private async restoreArtifact(id: string, dest: string): Promise<number | undefined> {
    const builds = [this.build.build, ...this.reusedFrom];
    for (const build of builds) {
      try {
        await restoreDirectory(this.store, artifactKey({ ...this.build, build, id }), dest);
        return build === this.build.build ? undefined : build;
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
      }
    }
    throw new NotFoundError(`Artifact ${id} was not saved by an earlier job of this build.`);
  }

  async save(job: ContainerJob, log: JobLog, outcome: JobOutcome): Promise<void> {
    for (const ref of job.saveArtifacts ?? []) {
      if (outcome !== 'success' && ref.when !== 'always') continue;
      const source =
        outcome === 'success'
          ? await this.folder(ref.path, `Artifact ${ref.id}`)
          : await this.folderAfterFailure(ref.path, ref.id, log);
      if (source === undefined) continue;
      const stored = await storeDirectory(
        this.store,
        artifactKey({ ...this.build, id: ref.id }),
        source,
      );
      log.system(`Saved artifact ${ref.id} from ${ref.path}`);
      if (stored.hidden.length > 0) log.system(hiddenFilesWarning(ref.id, stored.hidden));
    }
    if (!this.trusted || outcome !== 'success') return;
    for (const cache of job.caches ?? []) {
      const source = await this.folder(cache.path, `Cache ${cache.id}`);
      await storeDirectory(
        this.store,
        this.caches.writeKey(cache.id, await this.hashOf(cache)),
        source,
      );
      log.system(`Saved cache ${cache.id} from ${cache.path}`);
    }
  }

  /** After a failed job a missing folder is said in the log, not another failure. */
  private async folderAfterFailure(
    path: string,
    id: string,
    log: JobLog,
  ): Promise<string | undefined> {
    try {
      return await this.folder(path, `Artifact ${id}`);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      log.system(
        `Artifact ${id} not saved: ${path} is not a folder in the checkout after the job.`,
      );
      return undefined;
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

  /** The SHA-256 of the key files' names and contents; `undefined` for a cache without key files. */
  private async hashOf(cache: CacheRef): Promise<string | undefined> {
    if (!cache.key?.length) return undefined;
    const hash = createHash('sha256');
    for (const file of cache.key) {
      hash.update(`\0${file}\0`).update(await readFile(await checkoutPath(this.checkoutDir, file)));
    }
    return hash.digest('hex');
  }
}

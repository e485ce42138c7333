import type { Readable } from 'node:stream';
import { artifactKey, artifactPrefix, type BlobStore } from '@gibbon/storage';
import { NotFoundError } from '@gibbon/contracts';
import type { Build } from './build';
import type { BuildsRepository } from './builds.repository';
import { reuseChain } from './reuse-chain';

export interface ArtifactInfo {
  readonly id: string;
  readonly size: number;
  readonly createdAt: string;
  /** A re-run of failed jobs only: the earlier build a reused job saved it in. */
  readonly fromBuild?: number;
}

const suffix = '.tar.gz';

/**
 * A build's artifacts, read from the BlobStore (`artifacts/{org}/{repo}/{build}/{id}.tar.gz`);
 * runners write them there directly. Keys are built by `@gibbon/storage` from validated ids,
 * so an artifact id with `..` or `/` never reaches the store (the document refuses it first).
 */
export class ArtifactsService {
  constructor(
    private readonly store: BlobStore,
    private readonly builds: Pick<BuildsRepository, 'findByNumber'>,
  ) {}

  /**
   * The build's artifacts; for a re-run of failed jobs also those its reused jobs saved in the
   * builds it reuses (each with `fromBuild`), as its jobs restored them: the build's own first.
   */
  async list(build: Build): Promise<ArtifactInfo[]> {
    const items = new Map<string, ArtifactInfo>();
    for (const number of [build.number, ...(await reuseChain(this.builds, build))]) {
      for (const item of await this.listOf({ ...refOf(build), build: number })) {
        if (items.has(item.id)) continue;
        items.set(item.id, number === build.number ? item : { ...item, fromBuild: number });
      }
    }
    return [...items.values()];
  }

  /** The archive's bytes, found as `list` finds it; a missing artifact is a `NotFoundError`. */
  async open(build: Build, id: string): Promise<Readable> {
    for (const number of [build.number, ...(await reuseChain(this.builds, build))]) {
      try {
        return await this.store.get(artifactKey({ ...refOf(build), build: number, id }));
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
      }
    }
    throw new NotFoundError(`Build #${build.number} has no artifact ${id}.`);
  }

  private async listOf(ref: ReturnType<typeof refOf>): Promise<ArtifactInfo[]> {
    const prefix = artifactPrefix(ref);
    const items: ArtifactInfo[] = [];
    for await (const info of this.store.list(prefix)) {
      const name = info.key.slice(prefix.length);
      if (name.includes('/') || !name.endsWith(suffix)) continue;
      items.push({
        id: name.slice(0, -suffix.length),
        size: info.size,
        createdAt: info.lastModified.toISOString(),
      });
    }
    return items;
  }
}

function refOf(build: Build) {
  return { org: build.org, repo: build.repo, build: build.number };
}

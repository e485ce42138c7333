import type { Readable } from 'node:stream';
import { artifactKey, artifactPrefix, type BlobStore } from '@gibbon/storage';
import type { Build } from './build';

export interface ArtifactInfo {
  readonly id: string;
  readonly size: number;
  readonly createdAt: string;
}

const suffix = '.tar.gz';

/**
 * A build's artifacts, read from the BlobStore (`artifacts/{org}/{repo}/{build}/{id}.tar.gz`);
 * runners write them there directly. Keys are built by `@gibbon/storage` from validated ids,
 * so an artifact id with `..` or `/` never reaches the store (the document refuses it first).
 */
export class ArtifactsService {
  constructor(private readonly store: BlobStore) {}

  async list(build: Build): Promise<ArtifactInfo[]> {
    const prefix = artifactPrefix(refOf(build));
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

  /** The archive's bytes; a missing artifact is the store's `NotFoundError`. */
  open(build: Build, id: string): Promise<Readable> {
    return this.store.get(artifactKey({ ...refOf(build), id }));
  }
}

function refOf(build: Build) {
  return { org: build.org, repo: build.repo, build: build.number };
}

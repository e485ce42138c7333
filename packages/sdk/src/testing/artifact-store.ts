/**
 * Artifacts of a pipeline test run, as tar.gz files in a temp folder: what the runner's
 * `PUT`/`GET /v1/artifacts/{id}` would store. Fake container jobs that "succeed" save their
 * declared artifacts here from the files the test gives, so a later action's
 * `job.restoreArtifact` finds them as it would on the server.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { access, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ScriptApi } from '../client/script-api-client';
import { NotFoundError } from '../contracts';
import { saveArtifact } from '../job-api/artifacts';
import { resolveInCheckout } from '../job-api/paths';

/** File path (relative to the artifact's folder) → content. */
export type ArtifactFiles = Readonly<Record<string, string>>;

export class ArtifactStore implements Pick<ScriptApi, 'uploadArtifact' | 'downloadArtifact'> {
  /** The ids saved so far, in order. */
  readonly saved: string[] = [];

  private constructor(private readonly folder: string) {}

  /** A store in `folder`, which it creates. */
  static async create(folder: string): Promise<ArtifactStore> {
    await mkdir(folder, { recursive: true });
    return new ArtifactStore(folder);
  }

  async uploadArtifact(id: string, archive: Readable, signal?: AbortSignal): Promise<void> {
    // No await before the pipe: once tar exits, Node drops the output nobody reads yet.
    await pipeline(archive, createWriteStream(this.pathOf(id)), signal ? { signal } : {});
    this.saved.push(id);
  }

  async downloadArtifact(id: string): Promise<Readable> {
    const path = this.pathOf(id);
    const exists = await access(path).then(
      () => true,
      () => false,
    );
    if (!exists) throw new NotFoundError(`No artifact "${id}" in this build.`);
    return createReadStream(path);
  }

  /** Saves `files` as artifact `id`, as a container job that wrote them would. */
  async produce(id: string, files: ArtifactFiles, signal: AbortSignal): Promise<void> {
    const scratch = await mkdtemp(join(this.folder, 'produce-'));
    try {
      for (const [path, content] of Object.entries(files)) {
        const target = await resolveInCheckout(scratch, path, `artifact "${id}" file`);
        await mkdir(dirname(target), { recursive: true });
        await writeFile(target, content);
      }
      await saveArtifact({ api: this, checkout: scratch, signal }, id, '.');
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }

  private pathOf(id: string): string {
    // Ids are checked against ARTIFACT_ID_PATTERN (no '/', no '..') before they get here.
    return join(this.folder, `${id}.tar.gz`);
  }
}

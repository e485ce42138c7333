import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type Docker from 'dockerode';
import { pack as createPack } from 'tar-stream';
import { dockerClient } from './docker-client';
import { withFileLock } from './file-lock';
import { findHostTools, rootFileSystem, type HostTools } from './test-rootfs';
import { writeRootFileSystem } from './rootfs-tar';

/** Bump when the image's contents change in a way the host tools' versions don't show. */
const recipeVersion = 1;

/** Where images for tests live; never pushed anywhere. */
export const testImageRepository = 'gibbon-test/node';

const imageChanges = ['ENV PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin', 'CMD ["/bin/sh"]'];

/**
 * Returns the tag of a local image with busybox (`sh` and the usual applets) and this
 * machine's node, building it by `docker import` when it is missing. No registry is used.
 * The tag's hash covers the recipe and the versions of node and busybox, so a changed machine
 * gets a new image. Fast when present (one inspect); safe when jest workers call it at once.
 */
export async function ensureTestImage(): Promise<string> {
  return ensureImage(testImageRepository);
}

/** `ensureTestImage()` with the repository name chosen by the caller (tests of this module). */
export async function ensureImage(repository: string): Promise<string> {
  const docker = dockerClient();
  const tools = await findHostTools();
  const reference = `${repository}:${recipeHash(tools)}`;
  if (await imageExists(docker, reference)) return reference;
  const lockName = `gibbon-image-${reference.replace(/[^a-zA-Z0-9.-]/g, '_')}.lock`;
  await withFileLock(join(tmpdir(), lockName), async () => {
    // Another worker may have built it while this one waited for the lock.
    if (await imageExists(docker, reference)) return;
    await importImage(docker, tools, repository, reference);
  });
  return reference;
}

function recipeHash(tools: HostTools): string {
  const inputs = [recipeVersion, process.arch, tools.nodeVersion, tools.nodePath];
  inputs.push(tools.busyboxVersion, tools.busyboxPath, ...imageChanges);
  return createHash('sha256').update(JSON.stringify(inputs)).digest('hex').slice(0, 12);
}

async function imageExists(docker: Docker, reference: string): Promise<boolean> {
  try {
    await docker.getImage(reference).inspect();
    return true;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return false;
    const hint = 'is the Docker engine running? DEVELOPERS.md says how to start one';
    throw new Error(`Could not inspect the image ${reference} (${hint}): ${String(error)}`, {
      cause: error,
    });
  }
}

async function importImage(
  docker: Docker,
  tools: HostTools,
  repository: string,
  reference: string,
): Promise<void> {
  const entries = await rootFileSystem(tools);
  const tar = createPack();
  const tag = reference.slice(repository.length + 1);
  // tar-stream packs are streamx streams; dockerode wants a Node stream to pipe.
  const body = Readable.from(tar);
  const importing = docker.importImage(body, { repo: repository, tag, changes: imageChanges });
  const writing = writeRootFileSystem(tar, entries).catch((error: unknown) => {
    tar.destroy(error instanceof Error ? error : new Error(String(error)));
    throw error;
  });
  try {
    const [progress] = await Promise.all([importing, writing]);
    await followProgress(docker, progress);
  } catch (error) {
    throw new Error(`Could not import the test image ${reference}: ${String(error)}`, {
      cause: error,
    });
  }
}

/** The import answers with a JSON progress stream; a failure shows up as an `error` item. */
function followProgress(docker: Docker, stream: NodeJS.ReadableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    docker.modem.followProgress(stream, (error: Error | null, items: { error?: string }[]) => {
      const failed = error ?? items.find((item) => item.error)?.error;
      if (failed) reject(failed instanceof Error ? failed : new Error(failed));
      else resolve();
    });
  });
}

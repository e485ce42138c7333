import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureTestImage, withFileLock } from '@gibbon/test-kit';
import { buildServiceImage } from './docker-cli';
import { ensureNodeBaseImage } from './node-base-image';
import { repoRoot } from './start-process';

export interface ServiceImages {
  readonly api: string;
  readonly runner: string;
}

/** Fixed tags: every build replaces the last one, so the tests never pile up images. */
export const serviceImages: ServiceImages = {
  api: 'gibbon-test/public-api:e2e',
  runner: 'gibbon-test/build-runner:e2e',
};

/**
 * Builds both services' images from their Dockerfiles, on the local stand-in for the base
 * image they name. Test files share the work: they build one after another under a lock, and
 * the second build of an unchanged tree is Docker's layer cache answering in about a second,
 * where two builds at once would each take minutes.
 */
export async function ensureServiceImages(): Promise<ServiceImages> {
  const nodeImage = await ensureTestImage();
  // Generous: on a busy two-core machine a cold build of both images takes several minutes.
  const lock = { staleAfterMs: 30 * 60_000, timeoutMs: 30 * 60_000 };
  await withFileLock(
    join(tmpdir(), 'gibbon-service-images.lock'),
    async () => {
      await ensureNodeBaseImage(nodeImage, repoRoot);
      await buildServiceImage(repoRoot, 'public-api', serviceImages.api);
      await buildServiceImage(repoRoot, 'build-runner', serviceImages.runner);
    },
    lock,
  );
  return serviceImages;
}

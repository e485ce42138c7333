import type { Build } from './build';
import type { BuildsRepository } from './builds.repository';

/** A re-run of a re-run of …: past this many builds back, artifacts are not looked for. */
const MAX_CHAIN = 50;

/**
 * The builds whose artifacts a re-run of failed jobs may read, nearest first: the build it
 * re-runs, then (when that one was itself a re-run) the build that one re-ran, and so on. A job
 * reused twice saved its artifacts in the build that last ran it, which may be several back.
 * Empty for a build that reuses nothing.
 */
export async function reuseChain(
  builds: Pick<BuildsRepository, 'findByNumber'>,
  build: Pick<Build, 'repoId' | 'retryOf' | 'reusedJobs'>,
): Promise<number[]> {
  const chain: number[] = [];
  let current = build;
  while (current.reusedJobs && current.retryOf !== null && chain.length < MAX_CHAIN) {
    chain.push(current.retryOf);
    const earlier = await builds.findByNumber(build.repoId, current.retryOf);
    if (!earlier) break;
    current = earlier;
  }
  return chain;
}

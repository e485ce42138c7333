/**
 * `pnpm bench` for the engine: the phases of a build start, script start, container job
 * overhead, a 200 MiB job log, the masker alone. Needs the local Docker engine (but for
 * `masker`); builds the test image if missing (no registry). Name sections to run only those:
 * `pnpm bench phases script-start`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchDocker } from '../test/bench-docker';
import { testBuildContext } from '../test/build-context';
import { DockerBackend } from '../src/containers/docker/docker-backend';
import { reapContainers } from '../src/containers/docker/reap';
import { defaultContainerConfig } from '../src/containers/types';
import { benchBigLog } from './big-log';
import { benchContainerJob } from './container-job';
import { benchFirstBuild } from './first-build';
import { benchMasker } from './masker';
import { benchPhases } from './phases';
import { benchScriptStart } from './script-start';

type Section = 'first-build' | 'phases' | 'script-start' | 'container-job' | 'big-log' | 'masker';
const SECTIONS: readonly Section[] = [
  'first-build',
  'phases',
  'script-start',
  'container-job',
  'big-log',
  'masker',
];
const DOCKER_SECTIONS: readonly Section[] = SECTIONS.filter((section) => section !== 'masker');

function chosenSections(args: string[]): Set<Section> {
  const chosen = SECTIONS.filter((section) => args.includes(section));
  return new Set(chosen.length > 0 ? chosen : SECTIONS);
}

async function main(): Promise<void> {
  const sections = chosenSections(process.argv.slice(2));
  if (sections.has('masker')) benchMasker();
  if (!DOCKER_SECTIONS.some((section) => sections.has(section))) return;
  const { docker, image } = await benchDocker();
  const runnerId = `bench-${process.pid}`;
  const backend = new DockerBackend(docker, {
    ...defaultContainerConfig,
    runnerId,
    network: 'none',
  });
  const root = await mkdtemp(join(tmpdir(), 'gibbon-engine-bench-'));
  try {
    if (sections.has('first-build')) await benchFirstBuild(root, testBuildContext());
    if (sections.has('phases')) await benchPhases(root, testBuildContext(), backend);
    if (sections.has('script-start')) await benchScriptStart(root, testBuildContext(), backend);
    if (sections.has('container-job')) await benchContainerJob(docker, backend, image, root);
    if (sections.has('big-log')) await benchBigLog(backend, image, root);
  } finally {
    await reapContainers(docker, { runner: runnerId });
    await rm(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

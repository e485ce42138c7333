/**
 * `pnpm bench` for the engine: script start, container job overhead, a 200 MiB job log.
 * Needs the local Docker engine; builds the test image if missing (no registry).
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
import { benchScriptStart } from './script-start';

async function main(): Promise<void> {
  const { docker, image } = await benchDocker();
  const runnerId = `bench-${process.pid}`;
  const backend = new DockerBackend(docker, {
    ...defaultContainerConfig,
    runnerId,
    network: 'none',
  });
  const root = await mkdtemp(join(tmpdir(), 'gibbon-engine-bench-'));
  try {
    await benchScriptStart(root, testBuildContext(), backend);
    await benchContainerJob(docker, backend, image, root);
    await benchBigLog(backend, image, root);
  } finally {
    await reapContainers(docker, { runner: runnerId });
    await rm(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

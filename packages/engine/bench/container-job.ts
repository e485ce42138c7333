import type Docker from 'dockerode';
import { JobLog } from '../src/logs/job-log';
import { MemoryLogSink } from '../src/logs/log-sink';
import { Masker } from '../src/masking/masker';
import type { DockerBackend } from '../src/containers/docker/docker-backend';
import { runContainerJob } from '../src/containers/run-container-job';
import { median, ms, timed } from './stats';

const RUNS = 10;

/** dockerode by hand: the least any engine must do to run `true` in a container. */
async function byHand(docker: Docker, image: string, checkoutDir: string): Promise<void> {
  const container = await docker.createContainer({
    Image: image,
    Cmd: ['true'],
    HostConfig: {
      NetworkMode: 'none',
      Mounts: [{ Type: 'bind', Source: checkoutDir, Target: '/workspace' }],
    },
  });
  await container.start();
  await container.wait();
  await container.remove({ force: true });
}

export async function benchContainerJob(
  docker: Docker,
  backend: DockerBackend,
  image: string,
  checkoutDir: string,
) {
  const engineRuns: number[] = [];
  const handRuns: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    // Interleaved, so both see the same engine load.
    handRuns.push(await timed(() => byHand(docker, image, checkoutDir)));
    engineRuns.push(
      await timed(async () => {
        const log = new JobLog('true', new Masker(), new MemoryLogSink());
        const spec = { buildId: 'bench', jobId: 'true', image, checkoutDir, command: ['true'] };
        const result = await runContainerJob(backend, spec, { log, stopGraceSeconds: 1 });
        if (result.status !== 'success') throw new Error(`The job ended ${result.status}.`);
      }),
    );
  }
  const engine = median(engineRuns);
  const hand = median(handRuns);
  console.log(`One container job running \`true\` (median of ${RUNS}):`);
  console.log(`  dockerode by hand  ${ms(hand)}`);
  console.log(
    `  engine             ${ms(engine)}  (${(engine / hand).toFixed(2)}×; target ≤ 1.3×)`,
  );
}

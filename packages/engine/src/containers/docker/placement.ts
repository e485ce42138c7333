import type Docker from 'dockerode';
import { UnprocessableError } from '@gibbon/contracts';
import type { JobLog } from '../../logs/job-log';
import type { ContainerJobSpec, JobNetwork } from '../types';

/** Docker's name of this machine's CPU architecture (`process.arch` says `x64`). */
export function runnerArch(): string {
  const names: Record<string, string> = { x64: 'amd64', arm64: 'arm64' };
  return names[process.arch] ?? process.arch;
}

/**
 * A job that names its architecture runs only where it is the runner's own, on an image built
 * for it: Gibbon does not emulate another CPU, and an image for another one would fail with
 * "exec format error" halfway through the job instead of saying why up front.
 */
export function checkRunnerArch(spec: Pick<ContainerJobSpec, 'jobId' | 'arch'>): void {
  if (spec.arch === undefined || spec.arch === runnerArch()) return;
  throw new UnprocessableError(
    `Job ${spec.jobId} asks for arch ${spec.arch}, and this runner is ${runnerArch()}; ` +
      `run it on a ${spec.arch} runner, or remove arch to use the runner's own.`,
  );
}

/** After the image is there: it must be built for the architecture the job names. */
export async function checkImageArch(
  docker: Docker,
  spec: Pick<ContainerJobSpec, 'jobId' | 'arch' | 'image'>,
): Promise<void> {
  if (spec.arch === undefined) return;
  const { Architecture } = (await docker.getImage(spec.image).inspect()) as {
    Architecture?: string;
  };
  if (Architecture === undefined || Architecture === spec.arch) return;
  throw new UnprocessableError(
    `Job ${spec.jobId} asks for arch ${spec.arch}, and image ${spec.image} is built for ` +
      `${Architecture}; use an image (or a multi-arch tag) for ${spec.arch}.`,
  );
}

type PortMap = Record<string, { HostIp: string; HostPort: string }[] | null> | undefined;

/**
 * Tells the job's log where each exposed port can be reached from the runner's machine, once
 * the container runs: a port Docker picked on loopback (bridge), or the runner's own port
 * (host network, where the job listens on the machine's stack directly).
 */
export async function logExposedPorts(
  docker: Docker,
  containerId: string,
  spec: Pick<ContainerJobSpec, 'expose' | 'networkOwner' | 'network'>,
  network: JobNetwork,
  log: JobLog,
): Promise<void> {
  const ports = spec.expose ?? [];
  if (ports.length === 0) return;
  const effective = spec.network ?? network;
  if (effective === 'host') {
    for (const port of ports) {
      log.system(`Port ${port} is the runner's own port ${port} (the job uses the host network).`);
    }
    return;
  }
  const info = (await docker.getContainer(containerId).inspect()) as {
    NetworkSettings?: { Ports?: PortMap };
  };
  for (const port of ports) {
    const binding = info.NetworkSettings?.Ports?.[`${port}/tcp`]?.[0];
    log.system(
      binding
        ? `Port ${port} is exposed at ${binding.HostIp}:${binding.HostPort} on the runner's machine.`
        : `Port ${port} could not be exposed: the engine published no address for it.`,
    );
  }
}

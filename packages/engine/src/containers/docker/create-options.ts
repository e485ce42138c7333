import { OUTPUT_MOUNT } from '../../script-api/job-outputs';
import type { ContainerCreateOptions } from 'dockerode';
import type { ContainerConfig, ContainerJobSpec, ServiceContainerSpec } from '../types';
import { checkCommand, containerEnv, containerWorkDir } from '../validate';
import { jobLabels, labelKeys } from './labels';
import { scriptInvocation } from './script';

/**
 * Capabilities kept after dropping ALL: what root in a typical CI image needs to install
 * packages and work on a checkout owned by another uid. CHOWN and FOWNER for package managers
 * and tar extracting with owners; DAC_OVERRIDE to write into the bind-mounted checkout;
 * SETUID/SETGID because apt and friends drop to unprivileged users. Nothing that reaches the
 * host (no SYS_ADMIN, NET_ADMIN, SYS_PTRACE, MKNOD); `no-new-privileges` stops setuid binaries
 * from regaining the rest.
 */
export const keptCapabilities = ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'SETGID', 'SETUID'];

/** The Docker create request of one job. Never privileged, never the Docker socket. */
export function createOptions(
  spec: ContainerJobSpec,
  config: ContainerConfig,
): ContainerCreateOptions {
  checkCommand(spec);
  const cpus = spec.resources?.cpus ?? config.defaults.cpus;
  const memoryMb = spec.resources?.memoryMb ?? config.defaults.memoryMb;
  const invocation = spec.script ? scriptInvocation(spec.script) : { Cmd: spec.command };
  const network = spec.networkOwner
    ? `container:${spec.networkOwner}`
    : (spec.network ?? config.network);
  const published = network === 'bridge' ? (spec.expose ?? []) : [];
  return {
    Image: spec.image,
    ...invocation,
    ...(published.length > 0
      ? { ExposedPorts: Object.fromEntries(published.map((port) => [`${port}/tcp`, {}])) }
      : {}),
    Env: containerEnv(spec.env),
    WorkingDir: containerWorkDir(config.workFolder, spec.workDir),
    Labels: jobLabels(config.runnerId, spec.buildId, spec.jobId),
    Tty: false,
    OpenStdin: false,
    AttachStdout: true,
    AttachStderr: true,
    HostConfig: {
      // A Mount, not a `Binds` string: a checkout path with a colon can't change its meaning.
      Mounts: [
        { Type: 'bind', Source: spec.checkoutDir, Target: config.workFolder },
        ...(spec.outputDir
          ? [{ Type: 'bind' as const, Source: spec.outputDir, Target: OUTPUT_MOUNT }]
          : []),
      ],
      NetworkMode: network,
      // Loopback only, on a port Docker picks: reachable from the runner's machine, not beyond.
      ...(published.length > 0
        ? {
            PortBindings: Object.fromEntries(
              published.map((port) => [`${port}/tcp`, [{ HostIp: '127.0.0.1', HostPort: '' }]]),
            ),
          }
        : {}),
      ...confined(memoryMb, cpus, config),
    },
  };
}

/** How every job and service container is confined: no privileges, few capabilities, limits. */
function confined(memoryMb: number, cpus: number, config: ContainerConfig) {
  return {
    Privileged: false,
    SecurityOpt: ['no-new-privileges'],
    CapDrop: ['ALL'],
    CapAdd: keptCapabilities,
    Memory: Math.round(memoryMb * 1024 * 1024),
    NanoCpus: Math.round(cpus * 1e9),
    PidsLimit: config.defaults.pidsLimit,
    AutoRemove: false,
    // Docker's init as PID 1: the job's shell would otherwise be PID 1, which ignores SIGTERM,
    // so every cancel and timeout would wait out the whole stop grace before SIGKILL.
    Init: true,
  };
}

/**
 * The Docker create request of a job's service: confined as a job is (no privileges, the same
 * capabilities and limits), without the checkout. The first service holds the network
 * namespace the job and the other services join; its hosts file names every service.
 */
export function createServiceOptions(
  spec: ServiceContainerSpec,
  config: ContainerConfig,
): ContainerCreateOptions {
  const network =
    typeof spec.network === 'string' ? spec.network : `container:${spec.network.owner}`;
  return {
    Image: spec.image,
    ...(spec.command ? { Cmd: spec.command } : {}),
    Env: containerEnv(spec.env),
    Labels: {
      ...jobLabels(config.runnerId, spec.buildId, spec.jobId),
      [labelKeys.service]: spec.serviceId,
    },
    Tty: false,
    OpenStdin: false,
    HostConfig: {
      NetworkMode: network,
      ...(spec.hosts?.length ? { ExtraHosts: spec.hosts.map((host) => `${host}:127.0.0.1`) } : {}),
      ...confined(config.defaults.memoryMb, config.defaults.cpus, config),
    },
  };
}

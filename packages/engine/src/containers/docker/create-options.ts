import { OUTPUT_MOUNT } from '../../script-api/job-outputs';
import type { ContainerCreateOptions } from 'dockerode';
import type { ContainerConfig, ContainerJobSpec } from '../types';
import { checkCommand, containerEnv, containerWorkDir } from '../validate';
import { jobLabels } from './labels';
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
  return {
    Image: spec.image,
    ...invocation,
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
      NetworkMode: spec.network ?? config.network,
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
    },
  };
}

import { setTimeout as sleep } from 'node:timers/promises';
import type Docker from 'dockerode';
import type { JobLog } from '../../logs/job-log';
import type { ContainerHandle, ServiceBackend } from '../backend';
import type { ContainerConfig, ServiceContainerSpec } from '../types';
import { createServiceOptions } from './create-options';
import { ensureImage } from './pull';

/** Docker's log stream: 8-byte frames (stream, 0, 0, 0, size) before each piece of output. */
function demuxed(buffer: Buffer): string {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const size = buffer.readUInt32BE(offset + 4);
    parts.push(buffer.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size;
  }
  return Buffer.concat(parts).toString('utf8');
}

/** The dockerode implementation of ServiceBackend (lifecycle in backend.ts). */
export class DockerServices implements ServiceBackend {
  constructor(
    private readonly docker: Docker,
    private readonly config: ContainerConfig,
  ) {}

  async start(spec: ServiceContainerSpec, log: JobLog): Promise<ContainerHandle> {
    await ensureImage(this.docker, spec, log);
    const container = await this.docker.createContainer(createServiceOptions(spec, this.config));
    await container.start();
    return { id: container.id };
  }

  async waitHealthy(
    handle: ContainerHandle,
    check: { command: string[]; intervalMs: number; timeoutMs: number },
    signal: AbortSignal,
  ): Promise<void> {
    const container = this.docker.getContainer(handle.id);
    const deadline = Date.now() + check.timeoutMs;
    for (;;) {
      signal.throwIfAborted();
      const state = (await container.inspect()).State;
      if (!state.Running) {
        throw new Error(`it exited (code ${state.ExitCode}) before it was healthy`);
      }
      if ((await this.exitCodeOf(container, check.command)) === 0) return;
      if (Date.now() + check.intervalMs > deadline) {
        throw new Error(
          `its healthcheck did not pass within ${Math.round(check.timeoutMs / 1000)} s`,
        );
      }
      await sleep(check.intervalMs, undefined, { signal });
    }
  }

  async isRunning(handle: ContainerHandle): Promise<boolean> {
    try {
      return (await this.docker.getContainer(handle.id).inspect()).State.Running;
    } catch {
      return false;
    }
  }

  async logLines(handle: ContainerHandle, maxLines: number): Promise<string[]> {
    const output: Buffer = await this.docker
      .getContainer(handle.id)
      .logs({ stdout: true, stderr: true, follow: false, tail: maxLines });
    const text = demuxed(output);
    return text === '' ? [] : text.replace(/\n$/, '').split('\n');
  }

  private async exitCodeOf(container: Docker.Container, command: string[]): Promise<number | null> {
    const exec = await container.exec({ Cmd: command, AttachStdout: true, AttachStderr: true });
    const stream = await exec.start({ hijack: true, stdin: false });
    await new Promise<void>((resolve) => {
      stream.on('end', resolve);
      stream.on('close', resolve);
      stream.on('error', () => resolve());
      stream.resume();
    });
    return (await exec.inspect()).ExitCode;
  }
}

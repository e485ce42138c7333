import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type Docker from 'dockerode';
import type { JobLog } from '../../logs/job-log';
import type { ContainerBackend, ContainerHandle } from '../backend';
import type { ContainerConfig, ContainerJobSpec } from '../types';
import { createOptions } from './create-options';
import { checkImageArch, checkRunnerArch, logExposedPorts } from './placement';
import { ensureImage } from './pull';
import { DockerServices } from './services';

function statusCodeOf(error: unknown): number | undefined {
  return (error as { statusCode?: number } | undefined)?.statusCode;
}

/** A Writable that feeds one output stream of the job into its masking line splitter. */
function lineWriter(log: JobLog, stream: 'stdout' | 'stderr'): Writable {
  const lines = log.output(stream);
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.write(chunk);
      done();
    },
  });
}

/** The dockerode implementation of ContainerBackend (lifecycle in backend.ts). */
export class DockerBackend implements ContainerBackend {
  readonly services: DockerServices;
  /** The jobs with exposed ports, by container id, to say where they are once started. */
  private readonly exposing = new Map<string, ContainerJobSpec>();

  constructor(
    private readonly docker: Docker,
    readonly config: ContainerConfig,
  ) {
    this.services = new DockerServices(docker, config);
  }

  async create(spec: ContainerJobSpec, log: JobLog): Promise<ContainerHandle> {
    const options = createOptions(spec, this.config);
    checkRunnerArch(spec);
    await ensureImage(this.docker, spec, log);
    await checkImageArch(this.docker, spec);
    const container = await this.docker.createContainer(options);
    if (spec.expose?.length) this.exposing.set(container.id, spec);
    return { id: container.id };
  }

  async start(handle: ContainerHandle, log: JobLog): Promise<{ outputDone: Promise<void> }> {
    const container = this.docker.getContainer(handle.id);
    // Attach before start, so not even the first line can be missed.
    const output = await container.attach({ stream: true, stdout: true, stderr: true });
    const stdout = lineWriter(log, 'stdout');
    const stderr = lineWriter(log, 'stderr');
    this.docker.modem.demuxStream(output, stdout, stderr);
    const outputDone = finished(output)
      .catch(() => undefined)
      .then(() => undefined);
    await container.start();
    const exposing = this.exposing.get(handle.id);
    if (exposing) {
      await logExposedPorts(this.docker, handle.id, exposing, this.config.network, log);
    }
    return { outputDone };
  }

  async wait(handle: ContainerHandle): Promise<number> {
    const answer = (await this.docker.getContainer(handle.id).wait()) as { StatusCode: number };
    return answer.StatusCode;
  }

  async stop(handle: ContainerHandle, graceSeconds: number): Promise<void> {
    try {
      await this.docker.getContainer(handle.id).stop({ t: graceSeconds });
    } catch (error) {
      // 304: already stopped; 404: already gone. Both mean there is nothing left to stop.
      const code = statusCodeOf(error);
      if (code !== 304 && code !== 404) throw error;
    }
  }

  async remove(handle: ContainerHandle): Promise<void> {
    this.exposing.delete(handle.id);
    try {
      await this.docker.getContainer(handle.id).remove({ force: true, v: true });
    } catch (error) {
      // 404: gone already; 409: a removal is already in progress. Either way it will be gone.
      const code = statusCodeOf(error);
      if (code !== 404 && code !== 409) throw error;
    }
  }
}

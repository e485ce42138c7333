import type { ContainerJob } from '@gibbon/contracts';
import { UnprocessableError } from '@gibbon/contracts';
import type { ContainerBackend, ContainerHandle, ServiceBackend } from '../containers/backend';
import type { ContainerJobResult, JobNetwork } from '../containers/types';
import type { JobLog } from '../logs/job-log';
import type { RegistryAuth } from './registry-auth';

type Service = NonNullable<ContainerJob['services']>[number];

/** Lines of a service's output a job's log keeps, per service. */
const SERVICE_LOG_LINES = 2000;

export interface ServiceContext {
  readonly buildId: string;
  readonly jobId: string;
  /** The job's network: the shared namespace's (`none` for an untrusted build). */
  readonly network: JobNetwork;
  /** A service's environment with its `{ secret }` values fetched (as a job's env). */
  readonly envOf: (env: Service['env']) => Promise<Record<string, string>>;
  /** Credentials for pulling a service's image, as for the job's (`DOCKER_AUTH_CONFIG`). */
  readonly registryAuthOf: (image: string) => Promise<RegistryAuth | undefined>;
}

async function registryAuthOf(context: ServiceContext, image: string) {
  const registryAuth = await context.registryAuthOf(image);
  return registryAuth ? { registryAuth } : {};
}

/**
 * The started service containers of one job attempt. The first holds the network namespace
 * the job and the other services join (`owner`); `close` writes each service's output into
 * the job's log as a section and removes every container, whatever happened.
 */
export class RunningServices {
  private readonly started: { service: Service; handle: ContainerHandle }[] = [];

  private constructor(
    private readonly backend: ContainerBackend,
    private readonly services: ServiceBackend,
    private readonly log: JobLog,
  ) {}

  /** The container whose network namespace the job joins. */
  get owner(): string {
    return this.started[0]!.handle.id;
  }

  /**
   * Starts `job`'s services in order and waits for each healthcheck; a failure (after the
   * containers it started are closed) throws a domain error naming the service.
   */
  static async start(
    backend: ContainerBackend,
    job: ContainerJob,
    context: ServiceContext,
    log: JobLog,
    signal: AbortSignal,
  ): Promise<RunningServices> {
    if (!backend.services) {
      throw new UnprocessableError(`Job ${job.id} has services, which this engine cannot run.`);
    }
    const running = new RunningServices(backend, backend.services, log);
    const services = job.services ?? [];
    try {
      for (const service of services) {
        const first = running.started.length === 0;
        log.system(`Starting service ${service.id} (${service.image})`);
        const handle = await backend.services.start(
          {
            buildId: context.buildId,
            jobId: context.jobId,
            serviceId: service.id,
            image: service.image,
            ...(service.command ? { command: service.command } : {}),
            env: await context.envOf(service.env),
            ...(await registryAuthOf(context, service.image)),
            network: first ? context.network : { owner: running.owner },
            ...(first ? { hosts: services.map((each) => each.id) } : {}),
          },
          log,
        );
        running.started.push({ service, handle });
      }
      for (const { service, handle } of running.started) {
        if (!service.healthcheck) continue;
        const { command, intervalSeconds = 1, timeoutSeconds = 60 } = service.healthcheck;
        log.system(`Waiting for service ${service.id} to be healthy (${command.join(' ')})`);
        try {
          await backend.services.waitHealthy(
            handle,
            { command, intervalMs: intervalSeconds * 1000, timeoutMs: timeoutSeconds * 1000 },
            signal,
          );
        } catch (error) {
          if (signal.aborted) throw error;
          const why = error instanceof Error ? error.message : String(error);
          throw new UnprocessableError(
            `Service ${service.id} is not healthy: ${why}; the job did not run.`,
          );
        }
        log.system(`Service ${service.id} is healthy`);
      }
      return running;
    } catch (error) {
      await running.close();
      throw error;
    }
  }

  /**
   * A job that errored because a service stopped (the first holds the job's network) says
   * which, where Docker's own words would only name a container id.
   */
  async explain(result: ContainerJobResult): Promise<ContainerJobResult> {
    if (result.status !== 'error') return result;
    for (const { service, handle } of this.started) {
      if (await this.services.isRunning(handle)) continue;
      const message = `Service ${service.id} stopped before the job ended; its output is below.`;
      this.log.system(message);
      return { ...result, message };
    }
    return result;
  }

  /** Each service's output as a section of the job's log, then every container removed. */
  async close(): Promise<void> {
    for (const { service, handle } of this.started) {
      const lines = await this.services.logLines(handle, SERVICE_LOG_LINES).catch(() => []);
      this.log.system(`::group::Service ${service.id} (${service.image}): its output`);
      for (const line of lines) this.log.system(`${service.id} | ${line}`);
      this.log.system('::endgroup::');
    }
    // The job's container, which shares the first service's namespace, is gone already.
    for (const { handle } of [...this.started].reverse()) {
      await this.backend
        .remove(handle)
        .catch((error: unknown) =>
          this.log.system(`Could not remove service container ${handle.id}: ${String(error)}`),
        );
    }
  }
}

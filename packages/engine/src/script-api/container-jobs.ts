import { anySignal } from '../abort/any-signal';
import type { ContainerJob, JobRunResult } from '@gibbon/contracts';
import {
  ConflictError,
  InputError,
  jobEnvOf,
  NotAllowedError,
  NotFoundError,
  UnprocessableError,
} from '@gibbon/contracts';
import type { ContainerBackend } from '../containers/backend';
import { runContainerJob } from '../containers/run-container-job';
import type { ContainerJobResult, ContainerJobSpec, JobNetwork } from '../containers/types';
import type { JobLog } from '../logs/job-log';
import type { BuildSession } from './build-session';
import { usesFiles, type JobFiles } from './job-files';
import {
  OUTPUT_FILE,
  OUTPUT_MOUNT,
  outputFolder,
  readOutputs,
  removeOutputFolder,
} from './job-outputs';
import { RunningServices, type ServiceContext } from './job-services';
import { exposureOf } from './job-exposure';
import { registryAuthFromParams, type RegistryAuth } from './registry-auth';

export interface ContainerJobServiceOptions {
  session: BuildSession;
  backend: ContainerBackend;
  checkoutDir: string;
  /**
   * The network of this build's jobs: the engine's, or `none` for an untrusted build. A job may
   * keep it or narrow it to `none`; with `none` here, every job runs without network.
   */
  network: JobNetwork;
  stopGraceSeconds: number;
  /** The build's cancellation. */
  signal: AbortSignal;
  files?: JobFiles;
  /** Build-private scratch space for each attempt's `$GIBBON_OUTPUT` folder; no outputs without it. */
  outputsRoot?: string;
}

/**
 * `POST /v1/jobs/{jobId}/run`: runs one attempt of a container job and records its outcome in
 * the session. The SDK's executor decides on retries and calls again with the next `attempt`;
 * the same job and attempt twice is a conflict. Different jobs run concurrently.
 */
export class ContainerJobService {
  private readonly started = new Set<string>();
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Aborted by `close()`: the script is gone, so its jobs must stop. */
  private readonly closing = new AbortController();

  constructor(private readonly options: ContainerJobServiceOptions) {}

  async run(jobId: string, job: ContainerJob, requestSignal: AbortSignal): Promise<JobRunResult> {
    if (job.id !== jobId)
      throw new InputError(`The body's id ${job.id} is not the path's ${jobId}.`);
    this.checkNetwork(job);
    const attempt = job.attempt ?? 1;
    const runKey = `${jobId}#${attempt}`;
    if (this.started.has(runKey)) {
      throw new ConflictError(`Attempt ${attempt} of job ${jobId} already ran in this build.`);
    }
    this.started.add(runKey);
    const { session } = this.options;
    const log = session.logOf(jobId);
    if (attempt > 1) log.system(`Attempt ${attempt}.`);
    session.setJob(jobId, 'running');
    if (this.closing.signal.aborted) {
      throw new ConflictError('The build is ending; no more jobs can start.');
    }
    const signal = anySignal([this.options.signal, requestSignal, this.closing.signal]);
    const running = this.once(job, log, signal);
    this.inFlight.add(running);
    const result = await running.finally(() => this.inFlight.delete(running));
    session.setJob(jobId, result.status, result.exitCode, result.message);
    return {
      jobId,
      status: result.status,
      exitCode: result.exitCode,
      startedAt: result.startedAt.toISOString(),
      finishedAt: result.endedAt.toISOString(),
      attempt,
      message: result.message ?? null,
      ...(result.outputs ? { outputs: result.outputs } : {}),
    };
  }

  /**
   * Stops every job still running and resolves once their containers are removed. Called when
   * the script has ended (a script killed mid-job leaves no container behind). Idempotent.
   */
  async close(): Promise<void> {
    this.closing.abort();
    await Promise.allSettled([...this.inFlight]);
  }

  /**
   * One attempt, with a folder of its own for `$GIBBON_OUTPUT` when the build has scratch
   * space: read after a success (the outputs dependents see), removed in every case.
   */
  private async once(
    job: ContainerJob,
    log: JobLog,
    signal: AbortSignal,
  ): Promise<ContainerJobResult & { outputs?: Record<string, string> }> {
    const root = this.options.outputsRoot;
    if (!root) return this.attempt(job, log, signal, undefined);
    const folder = await outputFolder(root);
    try {
      const result = await this.attempt(job, log, signal, folder);
      if (result.status !== 'success') return result;
      const outputs = await readOutputs(folder, this.options.session.masker, log);
      return outputs && Object.keys(outputs).length > 0 ? { ...result, outputs } : result;
    } finally {
      await removeOutputFolder(folder);
    }
  }

  private async attempt(
    job: ContainerJob,
    log: JobLog,
    signal: AbortSignal,
    outputDir: string | undefined,
  ): Promise<ContainerJobResult> {
    const startedAt = new Date();
    const failed = (error: unknown): ContainerJobResult => {
      const message = error instanceof Error ? error.message : String(error);
      log.system(message);
      return { status: 'error', exitCode: null, startedAt, endedAt: new Date(), message };
    };
    let registryAuth: RegistryAuth | undefined;
    let env: Record<string, string>;
    try {
      env = await this.envOf(job);
      await this.restore(job, log);
      registryAuth = await registryAuthFromParams(this.options.session, job.image);
    } catch (error) {
      return failed(error);
    }
    let services: RunningServices | undefined;
    try {
      if (job.services?.length) {
        const context = this.serviceContext(job);
        services = await RunningServices.start(this.options.backend, job, context, log, signal);
      }
    } catch (error) {
      if (!signal.aborted) return failed(error);
      return { ...failed(new Error('Job canceled.')), status: 'canceled' };
    }
    const spec = {
      ...this.specOf(
        job,
        outputDir ? { GIBBON_OUTPUT: `${OUTPUT_MOUNT}/${OUTPUT_FILE}`, ...env } : env,
      ),
      ...(registryAuth ? { registryAuth } : {}),
      ...(outputDir ? { outputDir } : {}),
      ...(services ? { networkOwner: services.owner } : {}),
    };
    const ran = await runContainerJob(this.options.backend, spec, {
      log,
      signal,
      stopGraceSeconds: this.options.stopGraceSeconds,
    });
    const result = services ? await services.explain(ran) : ran;
    await services?.close();
    if (!this.options.files) return result;
    if (result.status === 'success') {
      try {
        await this.options.files.save(job, log, 'success');
        return result;
      } catch (error) {
        return failed(error);
      }
    }
    if (result.status === 'failure' || result.status === 'timed_out') {
      // What a failed job leaves for people to look at; the job's own failure stays its status.
      await this.options.files.save(job, log, 'failed').catch((error: unknown) => {
        log.system(
          `Saving the artifacts of the failed job failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      });
    }
    return result;
  }

  private async restore(job: ContainerJob, log: JobLog): Promise<void> {
    if (!usesFiles(job)) return;
    if (!this.options.files) {
      throw new UnprocessableError(
        `Job ${job.id} uses artifacts or caches, which this engine has no storage for.`,
      );
    }
    await this.options.files.restore(job, log);
  }

  private serviceContext(job: ContainerJob): ServiceContext {
    const { session, network } = this.options;
    return {
      buildId: session.context.build.id,
      jobId: job.id,
      network: job.network === 'none' || network === 'none' ? 'none' : network,
      envOf: (env) => this.ownEnv(job.id, env),
      registryAuthOf: (image) => registryAuthFromParams(session, image),
    };
  }

  private checkNetwork(job: ContainerJob): void {
    if (job.network === undefined || job.network === 'none') return;
    if (job.network === this.options.network) return;
    throw new InputError(
      `Job ${job.id} asks for network ${job.network}; a job may only narrow the runner's ` +
        `network (${this.options.network}) to none.`,
    );
  }

  /**
   * The container's environment: the build's variables and the job's id, then the job's own
   * `env` with each `{ secret }` fetched here, for this container only. The parameter is
   * registered with the masker as it is fetched, so its value is masked in every log before
   * the container can print it. An untrusted build gets no secret: its job fails, saying so.
   */
  private async envOf(job: ContainerJob): Promise<Record<string, string>> {
    const { session } = this.options;
    return { ...jobEnvOf(session.context, job.id), ...(await this.ownEnv(job.id, job.env)) };
  }

  /** A job's or service's own `env`, each `{ secret }` fetched for this container only. */
  private async ownEnv(jobId: string, own: ContainerJob['env']): Promise<Record<string, string>> {
    const { session } = this.options;
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(own ?? {})) {
      if (typeof value === 'string') {
        env[name] = value;
        continue;
      }
      if (!session.trusted) {
        throw new NotAllowedError(
          `Job ${jobId} needs the secret ${value.secret} (as ${name}), and untrusted builds ` +
            '(pull requests from forks) get no secrets; the job did not run.',
        );
      }
      env[name] = await secretFor(session, jobId, name, value.secret);
    }
    return env;
  }

  private specOf(job: ContainerJob, env: Record<string, string>): ContainerJobSpec {
    const { session, checkoutDir } = this.options;
    return {
      buildId: session.context.build.id,
      jobId: job.id,
      image: job.image,
      checkoutDir,
      ...(job.script ? { script: job.script } : {}),
      ...(job.command ? { command: job.command } : {}),
      env,
      ...(job.workDir ? { workDir: job.workDir } : {}),
      // The backend's network is the runner's; a build cut off from it (an untrusted one)
      // must say so on every job, or its containers get the runner's network after all.
      ...(job.network === 'none' || this.options.network === 'none'
        ? { network: 'none' as const }
        : {}),
      ...(job.resources ? { resources: job.resources } : {}),
      ...(job.timeout ? { timeoutSeconds: job.timeout } : {}),
      ...(job.arch ? { arch: job.arch } : {}),
      ...exposureOf(job, this.options.network, session.logOf(job.id)),
    };
  }
}

/** A parameter for a container's `env`; a missing one names the job and where to set it. */
async function secretFor(
  session: BuildSession,
  jobId: string,
  variable: string,
  name: string,
): Promise<string> {
  try {
    return (await session.getParam(name)).value;
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    throw new NotFoundError(
      `Job ${jobId} needs the secret ${name} (as ${variable}), and the build has no parameter ` +
        `of that name: add it to a parameter set of the org that applies to this repository ` +
        `(gibbon params create), or for gibbon run pass --param ${name}=…; the job did not run.`,
      { cause: error },
    );
  }
}

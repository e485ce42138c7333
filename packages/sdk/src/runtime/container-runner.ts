/**
 * The container backend of a build script: each attempt of a container job is one
 * `POST /v1/jobs/{jobId}/run` to the runner, which owns Docker. Aborting the attempt's signal
 * closes that request, which the runner takes as the job's cancel (it stops and removes the
 * container); the attempt then ends `canceled` at once, without waiting for the runner.
 */
import type { ScriptApi } from '../client/script-api-client';
import type { ContainerRunAnswer, ContainerRunRequest } from '../client/types';
import type { ContainerJobRunner, ContainerRunResult } from '../executor/types';
import type { ContainerJob } from '../jobs';

const requestFields = [
  'image',
  'script',
  'command',
  'env',
  'workDir',
  'network',
  'dependsOn',
  'saveArtifacts',
  'restoreArtifacts',
  'caches',
  'timeout',
  'retries',
  'resources',
  'services',
  'expose',
  'arch',
] as const satisfies readonly (keyof ContainerJob & keyof ContainerRunRequest)[];

/** The job's fields as the Script API takes them: no `kind`, no `when`, nothing unknown. */
export function containerRunRequest(job: ContainerJob, attempt: number): ContainerRunRequest {
  const fields = Object.fromEntries(
    requestFields.filter((name) => job[name] !== undefined).map((name) => [name, job[name]]),
  );
  return { ...fields, id: job.id, image: job.image, attempt };
}

function resultOf(answer: ContainerRunAnswer): ContainerRunResult {
  const extra = {
    ...(answer.exitCode === null ? {} : { exitCode: answer.exitCode }),
    ...(answer.message === null ? {} : { message: answer.message }),
    ...(answer.outputs ? { outputs: answer.outputs } : {}),
  };
  if (answer.status === 'skipped') {
    return {
      status: 'error',
      message: `The runner answered "skipped" for a container job. ${answer.message ?? ''}`.trim(),
    };
  }
  return { status: answer.status, ...extra };
}

export class ScriptApiContainerRunner implements ContainerJobRunner {
  constructor(private readonly api: Pick<ScriptApi, 'runContainerJob'>) {}

  async runContainer(
    job: ContainerJob,
    { signal, attempt }: { signal: AbortSignal; attempt: number },
  ): Promise<ContainerRunResult> {
    try {
      return resultOf(
        await this.api.runContainerJob(job.id, containerRunRequest(job, attempt), signal),
      );
    } catch (error) {
      if (signal.aborted) return { status: 'canceled', message: 'The container job was stopped.' };
      throw error;
    }
  }
}

import type Docker from 'dockerode';
import { UnprocessableError } from '@gibbon/contracts';
import type { JobLog } from '../../logs/job-log';
import type { ContainerJobSpec } from '../types';

interface PullProgress {
  status?: string;
  id?: string;
  error?: string;
  errorDetail?: { message?: string };
}

function statusCodeOf(error: unknown): number | undefined {
  return (error as { statusCode?: number } | undefined)?.statusCode;
}

/** The daemon's reason, without dockerode's `(HTTP code 500) server error - ` in front. */
function messageOf(error: unknown): string {
  const json = (error as { json?: { message?: string } } | undefined)?.json;
  if (json?.message) return json.message.trim();
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/^\(HTTP code \d+\)[^-]*- /, '').trim();
}

/** Why the pull failed, and what the user can do: the image is not on this machine either. */
function pullFailure(image: string, error: unknown): string {
  return (
    `Could not pull image ${image}: ${messageOf(error).replace(/\.$/, '')}. It is not on this ` +
    `machine either: pull or build it where the job runs (\`docker pull ${image}\`, ` +
    `\`docker build -t ${image} .\` or \`docker load\`), or use an image its registry serves.`
  );
}

async function isPresent(docker: Docker, image: string): Promise<boolean> {
  try {
    await docker.getImage(image).inspect();
    return true;
  } catch (error) {
    if (statusCodeOf(error) === 404) return false;
    throw error;
  }
}

/**
 * Pulls `spec.image` when it is not present locally, writing progress to the job log (one
 * line per layer state change, not every byte count). A pull that fails throws an
 * UnprocessableError naming the image and carrying the registry's answer.
 */
export async function ensureImage(
  docker: Docker,
  spec: Pick<ContainerJobSpec, 'image' | 'registryAuth'>,
  log: JobLog,
): Promise<void> {
  if (await isPresent(docker, spec.image)) return;
  log.system(`Pulling image ${spec.image}`);
  try {
    const stream = await docker.pull(
      spec.image,
      spec.registryAuth ? { authconfig: spec.registryAuth } : {},
    );
    await followPull(docker, stream, log);
  } catch (error) {
    throw new UnprocessableError(pullFailure(spec.image, error), { cause: error });
  }
  log.system(`Pulled image ${spec.image}`);
}

function followPull(docker: Docker, stream: NodeJS.ReadableStream, log: JobLog): Promise<void> {
  const lastStatus = new Map<string, string>();
  const onProgress = (event: PullProgress) => {
    if (event.error || !event.status) return;
    const key = event.id ?? '';
    if (lastStatus.get(key) === event.status) return;
    lastStatus.set(key, event.status);
    log.system(event.id ? `${event.id}: ${event.status}` : event.status);
  };
  return new Promise((resolve, reject) => {
    const onFinished = (error: Error | null, events: PullProgress[]) => {
      const failed = events?.find((event) => event.error);
      if (error) reject(error);
      else if (failed) reject(new Error(failed.errorDetail?.message ?? failed.error));
      else resolve();
    };
    docker.modem.followProgress(stream, onFinished, onProgress);
  });
}

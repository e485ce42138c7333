import { jobTimedOutMessage } from '@gibbon/contracts';
import { anySignal } from '../abort/any-signal';
import type { JobLog } from '../logs/job-log';
import type { ContainerBackend, ContainerHandle } from './backend';
import type { ContainerJobResult, ContainerJobSpec, ContainerJobStatus } from './types';

export interface RunContainerJobOptions {
  log: JobLog;
  /** The build's (or job's) cancellation; the job's own timeout is added here. */
  signal?: AbortSignal;
  stopGraceSeconds: number;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Waits for the container; when `abort` fires first, stops it (grace, then kill) and waits on. */
async function waitOrStop(
  backend: ContainerBackend,
  handle: ContainerHandle,
  abort: AbortSignal,
  graceSeconds: number,
): Promise<number> {
  const stop = () => void backend.stop(handle, graceSeconds).catch(() => undefined);
  if (abort.aborted) stop();
  abort.addEventListener('abort', stop, { once: true });
  try {
    return await backend.wait(handle);
  } finally {
    abort.removeEventListener('abort', stop);
  }
}

/**
 * Runs one container job through `backend`: create → start (output streamed to the log) →
 * wait (stopped on cancel or timeout) → remove. The container is removed whatever happens,
 * including when the engine's own calls fail; such failures end the job as `error` with the
 * reason in its log. Never throws.
 */
export async function runContainerJob(
  backend: ContainerBackend,
  spec: ContainerJobSpec,
  { log, signal, stopGraceSeconds }: RunContainerJobOptions,
): Promise<ContainerJobResult> {
  const startedAt = new Date();
  const timeout = spec.timeoutSeconds ? AbortSignal.timeout(spec.timeoutSeconds * 1000) : undefined;
  const abort = anySignal([signal, timeout]);
  const end = (status: ContainerJobStatus, exitCode: number | null, message?: string) => {
    if (message) log.system(message);
    return { status, exitCode, startedAt, endedAt: new Date(), ...(message ? { message } : {}) };
  };
  const abortedEnd = (exitCode: number | null) =>
    timeout?.aborted
      ? end('timed_out', exitCode, jobTimedOutMessage(spec.timeoutSeconds ?? 0))
      : end('canceled', exitCode, 'Job canceled.');

  let handle: ContainerHandle | undefined;
  try {
    if (abort.aborted) return abortedEnd(null);
    handle = await backend.create(spec, log);
    if (abort.aborted) return abortedEnd(null);
    const { outputDone } = await backend.start(handle, log);
    const exitCode = await waitOrStop(backend, handle, abort, stopGraceSeconds);
    await outputDone;
    log.endOutputs();
    if (abort.aborted) return abortedEnd(exitCode);
    if (exitCode === 0) return end('success', 0);
    return end('failure', exitCode, `Job failed: exit code ${exitCode}.`);
  } catch (error) {
    log.endOutputs();
    return end('error', null, messageOf(error));
  } finally {
    if (handle) {
      await backend
        .remove(handle)
        .catch((error: unknown) =>
          log.system(`Could not remove container ${handle?.id}: ${messageOf(error)}`),
        );
    }
  }
}

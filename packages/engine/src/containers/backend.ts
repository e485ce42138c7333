import type { JobLog } from '../logs/job-log';
import type { ContainerJobSpec, ServiceContainerSpec } from './types';

/** A created container; opaque to callers. */
export interface ContainerHandle {
  readonly id: string;
}

/**
 * Runs job containers. One instance serves many builds at once; every method may be called
 * concurrently for different handles.
 *
 * Lifecycle of one job, driven by `runContainerJob`:
 * 1. `create(spec, log)`: ensures the image is there (pull progress goes to `log`), creates the
 *    container with the job's labels. Nothing runs yet. Throws a domain error naming the image
 *    when it cannot be pulled.
 * 2. `start(handle, log)`: attaches the container's stdout/stderr to `log` (line by line, not
 *    buffered), then starts it. Resolves once it runs; `outputDone` resolves when the output
 *    streams have ended.
 * 3. `wait(handle)`: resolves with the exit code when the main process ends.
 * 4. `remove(handle)`: removes the container and its anonymous volumes. Idempotent, and safe to
 *    call even if `start` failed or never happened; a container already gone counts as removed.
 *
 * Cancellation is not a method of its own: the caller calls `stop(handle, graceSeconds)` when
 * its AbortSignal fires (SIGTERM, then SIGKILL after the grace period; a stopped or missing
 * container is fine), and `wait` then resolves with the exit status.
 */
export interface ContainerBackend {
  /** Service containers of jobs; a backend without them refuses a job that has services. */
  readonly services?: ServiceBackend;
  create(spec: ContainerJobSpec, log: JobLog): Promise<ContainerHandle>;
  start(handle: ContainerHandle, log: JobLog): Promise<{ outputDone: Promise<void> }>;
  wait(handle: ContainerHandle): Promise<number>;
  stop(handle: ContainerHandle, graceSeconds: number): Promise<void>;
  remove(handle: ContainerHandle): Promise<void>;
}

/**
 * A job's service containers. Lifecycle: `start` (image pulled, created with the job's labels
 * and the service's, started), `waitHealthy` while the job waits, `logLines` and `remove` (the
 * container handle's, above) once the job ended, whatever happened.
 */
export interface ServiceBackend {
  start(spec: ServiceContainerSpec, log: JobLog): Promise<ContainerHandle>;
  /**
   * Runs `command` in the service every `intervalMs` until it exits 0; rejects with a message a
   * user can act on when the service exits, `timeoutMs` passes, or `signal` aborts.
   */
  waitHealthy(
    handle: ContainerHandle,
    check: { command: string[]; intervalMs: number; timeoutMs: number },
    signal: AbortSignal,
  ): Promise<void>;
  /** The service's output so far (stdout and stderr), its last `maxLines` lines. */
  logLines(handle: ContainerHandle, maxLines: number): Promise<string[]>;
  /** Whether the service's main process still runs. */
  isRunning(handle: ContainerHandle): Promise<boolean>;
}

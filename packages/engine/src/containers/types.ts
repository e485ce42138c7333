/** Network of job containers: Docker's usual `bridge`, the host's stack, or none at all. */
export type JobNetwork = 'bridge' | 'host' | 'none';

/** How a container job ended. `error`: it could not run (image missing, engine failure). */
export type ContainerJobStatus = 'success' | 'failure' | 'error' | 'canceled' | 'timed_out';

/** What the engine needs to run one container job of a build (spec section 2 fields). */
export interface ContainerJobSpec {
  buildId: string;
  jobId: string;
  image: string;
  /** Shell lines run in order by `/bin/sh -e`; exactly one of `script` and `command`. */
  script?: string[];
  /** Argv, no shell. */
  command?: string[];
  env?: Record<string, string>;
  /** Relative to the checkout; `..` and absolute paths are refused. */
  workDir?: string;
  /** The host folder bind-mounted as the work folder. */
  checkoutDir: string;
  /** A host folder bind-mounted at `/gibbon/output`, for `$GIBBON_OUTPUT` (the job's outputs). */
  outputDir?: string;
  /** A job may only narrow the engine's network, to `none`. */
  network?: 'none';
  /** Join the network namespace of this container (the job's first service) instead. */
  networkOwner?: string;
  resources?: { cpus?: number; memoryMb?: number };
  timeoutSeconds?: number;
  /** Registry credentials for pulling `image`, when a parameter gave them. */
  registryAuth?: { username: string; password: string; serveraddress?: string };
  /** Ports published on the runner's loopback address while the job runs (bridge network). */
  expose?: number[];
  /** The CPU architecture the image must be for; the job errors on a runner of another. */
  arch?: 'amd64' | 'arm64';
}

/** One service container of a job (a database, a cache), started before the job. */
export interface ServiceContainerSpec {
  buildId: string;
  jobId: string;
  serviceId: string;
  image: string;
  /** Instead of the image's own command. */
  command?: string[];
  env: Record<string, string>;
  /**
   * The job's network, for the first service, which holds the namespace the job and its
   * services share; `{ owner }` for the others, which join it.
   */
  network: JobNetwork | { owner: string };
  /** Names the shared namespace resolves to 127.0.0.1 (every service's id); the holder's. */
  hosts?: string[];
  registryAuth?: { username: string; password: string; serveraddress?: string };
}

export interface ContainerJobResult {
  status: ContainerJobStatus;
  /** The main process's exit code; null when it never ran or was stopped by the engine. */
  exitCode: number | null;
  startedAt: Date;
  endedAt: Date;
  /** Why the job did not succeed, in words a user can act on. */
  message?: string;
}

/** Engine-wide container settings (from `GIBBON_JOB_NETWORK` and the runner's config). */
export interface ContainerConfig {
  runnerId: string;
  network: JobNetwork;
  /** Where the checkout appears inside the container. */
  workFolder: string;
  defaults: { cpus: number; memoryMb: number; pidsLimit: number };
  /** Seconds between `docker stop`'s SIGTERM and its SIGKILL. */
  stopGraceSeconds: number;
}

export const defaultContainerConfig = {
  runnerId: 'local',
  network: 'bridge',
  workFolder: '/workspace',
  defaults: { cpus: 2, memoryMb: 2048, pidsLimit: 1024 },
  stopGraceSeconds: 10,
} as const satisfies ContainerConfig;

/**
 * A job as plain data a test can `expect` against: what a container job would run (image,
 * script or command, env, artifacts, caches) and the options every job has. Functions (`fn`,
 * `when`) are left out; `when` is given as its answer for the context under test.
 */
import type { ArtifactRef, CacheSpec, Job, Resources, SecretRef, OutputRef } from '../jobs';

interface CommonDescription {
  readonly id: string;
  readonly dependsOn: readonly string[];
  readonly retries: number;
  readonly timeout?: number;
  /** What the job's `when(ctx)` answered for this context; undefined when it has none. */
  readonly when?: boolean;
}

export interface ContainerJobDescription extends CommonDescription {
  readonly kind: 'container';
  readonly image: string;
  readonly script?: readonly string[];
  readonly command?: readonly string[];
  /** As the pipeline gave it: `secret('NAME')` stays a reference (the runner resolves it). */
  readonly env: Readonly<Record<string, string | SecretRef | OutputRef>>;
  readonly workDir?: string;
  readonly saveArtifacts: readonly ArtifactRef[];
  readonly restoreArtifacts: readonly ArtifactRef[];
  readonly caches: readonly CacheSpec[];
  readonly resources?: Resources;
  readonly network?: 'none';
}

export interface ActionJobDescription extends CommonDescription {
  readonly kind: 'action';
}

export type JobDescription = ContainerJobDescription | ActionJobDescription;

/** Keeps the optional fields a job set, so `toEqual` does not trip over `undefined` keys. */
function defined<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(fields).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}

export function describeJob(job: Job, when: boolean | undefined): JobDescription {
  const common = {
    id: job.id,
    dependsOn: [...(job.dependsOn ?? [])],
    retries: job.retries ?? 0,
    ...defined({ timeout: job.timeout, when }),
  };
  if (job.kind === 'action') return { ...common, kind: 'action' };
  return {
    ...common,
    kind: 'container',
    image: job.image,
    env: { ...job.env },
    saveArtifacts: [...(job.saveArtifacts ?? [])],
    restoreArtifacts: [...(job.restoreArtifacts ?? [])],
    caches: [...(job.caches ?? [])],
    ...defined({
      script: job.script,
      command: job.command,
      workDir: job.workDir,
      resources: job.resources,
      network: job.network,
    }),
  };
}

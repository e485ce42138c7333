/**
 * The job builders a build script calls (spec section 2): `container()`, `action()` and
 * `pipeline()`. Builders check the shape of each field so a script without types fails with a
 * message naming the job; the graph (ids, dependencies, cycles) is checked by `resolvePipeline`.
 */
import type { BuildContext } from './context';
import type { InputDeclarations } from './inputs';
import type { JobApi } from './job-api/types';
import { checkActionOptions, checkContainerSpec } from './job-fields';

/** A predicate of the build context; the job is `skipped` when it returns false. */
export type WhenPredicate = (ctx: BuildContext) => boolean | Promise<boolean>;

export interface ArtifactRef {
  /** Artifact id, unique within the build. */
  readonly id: string;
  /** File or folder relative to the checkout. */
  readonly path: string;
}

/** An artifact a container job saves: after it succeeded, or with `when: 'always'` also after a failure. */
export interface SavedArtifactRef extends ArtifactRef {
  /** `success` (default): saved when the job succeeded; `always`: also when it failed or timed out. */
  readonly when?: 'success' | 'always';
}

export interface CacheSpec {
  readonly id: string;
  /** Folder relative to the checkout. */
  readonly path: string;
  /** Files whose content hash keys the cache (e.g. `['package-lock.json']`). */
  readonly key?: readonly string[];
  /**
   * Fallbacks when no cache of this id and key exists yet: prefixes of stored caches'
   * `{id}-{hash}` names (`['npm-']`: any earlier key of cache `npm`), newest first, the
   * build's own branch before the main branch.
   */
  readonly restoreKeys?: readonly string[];
}

export interface Resources {
  readonly cpus?: number;
  readonly memoryMb?: number;
}

/** Fields every job accepts. */
export interface JobOptions {
  readonly dependsOn?: readonly string[];
  /**
   * Seconds one attempt may take before it is stopped and the job ends `timed_out` (not
   * retried). Whole seconds for container jobs, at most 86400.
   */
  readonly timeout?: number;
  /** How many times (0–10) a failed or errored job is run again; never a canceled or timed-out one. */
  readonly retries?: number;
  readonly when?: WhenPredicate;
  /**
   * Wait for a person's decision before running: once its dependencies succeeded (and its
   * `when` allowed it), the job is `waiting` until someone with an admin or org admin token
   * approves it (`gibbon approve`, the web page's Approve button) or rejects it, which skips it
   * and its dependents. It holds no container and no slot of `maxParallel` while it waits; the
   * build's timeout keeps counting. A workflow gate, not a security boundary: whoever may edit
   * the build script may remove it.
   */
  readonly approval?: boolean;
}

/**
 * A parameter a container job gets in its environment: `env: { NPM_TOKEN: secret('NPM_TOKEN') }`.
 * The runner fetches it for the job (the script never holds it), masks it in every log, and
 * passes it to the container's environment only. An untrusted build's job that asks for one
 * fails without running: untrusted builds (pull requests from forks) get no secrets.
 */
export interface SecretRef {
  readonly secret: string;
}

export function secret(name: string): SecretRef {
  return Object.freeze({ secret: name });
}

/**
 * An output of a job this container job depends on, in its `env`:
 * `env: { VERSION: output('build', 'version') }`. The value is put in when the job starts;
 * a job that set no such output fails this one (`error`), saying which it set.
 */
export interface OutputRef {
  readonly output: { readonly job: string; readonly name: string };
}

export function output(job: string, name: string): OutputRef {
  return Object.freeze({ output: Object.freeze({ job, name }) });
}

/**
 * A container started before the job and removed with it: a database, a cache. The job and its
 * services share one network namespace, so the job reaches a service at its `id` (a hostname)
 * or 127.0.0.1, on the port the service listens on.
 */
export interface ServiceSpec {
  /** Lower-case letters, digits and `-`: the service's hostname. */
  readonly id: string;
  readonly image: string;
  /** Instead of the image's own command. */
  readonly command?: readonly string[];
  /** Plain values, or `secret('NAME')` (not for untrusted builds). */
  readonly env?: Readonly<Record<string, string | SecretRef>>;
  /** Run in the service until it exits 0 before the job starts (default: every 1 s, up to 60 s). */
  readonly healthcheck?: {
    readonly command: readonly string[];
    readonly intervalSeconds?: number;
    readonly timeoutSeconds?: number;
  };
}

interface ContainerFields extends JobOptions {
  readonly image: string;
  /**
   * Plain values, `secret('NAME')` (a parameter the runner puts in for this job only), or
   * `output('job', 'name')` (an output of a job it depends on).
   */
  readonly env?: Readonly<Record<string, string | SecretRef | OutputRef>>;
  /** Relative to the checkout. */
  readonly workDir?: string;
  readonly saveArtifacts?: readonly SavedArtifactRef[];
  readonly restoreArtifacts?: readonly ArtifactRef[];
  readonly caches?: readonly CacheSpec[];
  readonly resources?: Resources;
  /** Ask for no network at all; otherwise the runner's default network is used. */
  readonly network?: 'none';
  /** Containers the job needs running beside it (at most 10), health-checked before it starts. */
  readonly services?: readonly ServiceSpec[];
  /**
   * Ports the job listens on, made reachable from the runner's machine while it runs (to look
   * at a preview, or attach a debugger); the job's log says at which address. Not for jobs
   * with services; a job without a network (an untrusted build's) runs unexposed, saying so.
   */
  readonly expose?: readonly number[];
  /** The CPU architecture the job's image must be built for; the runner's when absent. */
  readonly arch?: ContainerArch;
}

/** CPU architectures a container job can ask for (Docker's platform names). */
export type ContainerArch = 'amd64' | 'arm64';

/** Shell lines run in order by `/bin/sh -e`. */
export interface ScriptContainerSpec extends ContainerFields {
  readonly script: readonly string[];
  readonly command?: never;
}

/** An argv run without a shell. */
export interface CommandContainerSpec extends ContainerFields {
  readonly command: readonly string[];
  readonly script?: never;
}

export type ContainerSpec = ScriptContainerSpec | CommandContainerSpec;

export type ContainerJob = ContainerSpec & { readonly kind: 'container'; readonly id: string };

export type ActionFn = (job: JobApi) => void | Promise<void>;

export interface ActionJob extends JobOptions {
  readonly kind: 'action';
  readonly id: string;
  readonly fn: ActionFn;
}

export type Job = ContainerJob | ActionJob;

/** What a pipeline may list: jobs, and falsy values (from `cond && job`) that are ignored. */
export type JobEntry = Job | false | null | undefined | 0 | '';

export type JobList = Job | readonly (JobEntry | readonly JobEntry[])[];

/**
 * A build script's default export: jobs, a (sync or async) function of the context, or
 * `pipeline({ inputs }, ...)`, which also declares the inputs a build takes.
 */
export type PipelineDefinition =
  JobList | ((ctx: BuildContext) => JobList | Promise<JobList>) | DeclaredPipeline;

/** What `pipeline({ inputs }, definition)` makes: the declaration and the jobs. */
export interface DeclaredPipeline {
  readonly kind: 'pipeline';
  readonly inputs: InputDeclarations;
  readonly definition: JobList | ((ctx: BuildContext) => JobList | Promise<JobList>);
}

/** A job run in a container of `spec.image`. */
export function container(id: string, spec: ContainerSpec): ContainerJob {
  checkContainerSpec(id, spec);
  return { ...spec, kind: 'container', id };
}

/** A job run inside the build script's own process. */
export function action(id: string, fn: ActionFn, options: JobOptions = {}): ActionJob {
  checkActionOptions(id, fn, options);
  return { ...options, kind: 'action', id, fn };
}

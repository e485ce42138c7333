import type { AttemptHooks } from '../executor/types';
import type { Job } from '../jobs';
/**
 * The `JobApi` an action job's function receives, implemented over the Script API. Lifecycle:
 * the runtime creates one per attempt with the attempt's signal and the job's log sink; calls
 * made after the signal aborted reject with its reason.
 */
import type { ScriptApi } from '../client/script-api-client';
import { jobEnvOf } from '../contracts';
import type { BuildContext } from '../context';
import { restoreArtifact, saveArtifact } from './artifacts';
import { formatLogLine, type LogSink } from './job-log';
import { checkParamName, paramValue, type ParamOptions } from './params';
import { resolveInCheckout } from './paths';
import { displayArgv, runCommand } from './sh';
import { SkipSignal } from './skip';
import type { JobApi, ShOptions, ShResult } from './types';

/** Secrets shorter than this are not masked: they would blank out ordinary words in every log. */
export const MIN_MASK_LENGTH = 4;

export interface ScriptJobApiDeps {
  /** This attempt's outputs, those of the jobs before it, and adding jobs (the executor's). */
  readonly hooks: AttemptHooks;
  readonly api: ScriptApi;
  readonly jobId: string;
  readonly ctx: BuildContext;
  readonly signal: AbortSignal;
  readonly log: LogSink;
  /** The checked-out repository: `sh` runs here and artifact paths are relative to it. */
  readonly checkout: string;
  /** The environment `sh` commands start from (the script process's own allowlisted one). */
  readonly baseEnv: NodeJS.ProcessEnv;
}

export class ScriptJobApi implements JobApi {
  readonly jobId: string;
  readonly ctx: BuildContext;
  readonly signal: AbortSignal;

  constructor(private readonly deps: ScriptJobApiDeps) {
    this.jobId = deps.jobId;
    this.ctx = deps.ctx;
    this.signal = deps.signal;
  }

  param(name: string): Promise<string>;
  param(
    name: string,
    options: ParamOptions & { readonly optional: true },
  ): Promise<string | undefined>;
  async param(name: string, options?: ParamOptions): Promise<string | undefined> {
    this.signal.throwIfAborted();
    checkParamName(name);
    return paramValue(name, await this.deps.api.getParam(name), options, this.ctx.build.trusted);
  }

  async params(): Promise<Record<string, string>> {
    this.signal.throwIfAborted();
    return this.deps.api.getParams();
  }

  async sh(argv: readonly string[], options: ShOptions = {}): Promise<ShResult> {
    this.signal.throwIfAborted();
    const cwd =
      options.cwd === undefined
        ? this.deps.checkout
        : await resolveInCheckout(this.deps.checkout, options.cwd, 'sh() cwd');
    this.deps.log.write(`$ ${displayArgv(argv)}`);
    await runCommand(argv, {
      cwd,
      // The build's variables (CI, GIBBON_BUILD_NUMBER, …), which the call's own env may set.
      env: { ...this.deps.baseEnv, ...jobEnvOf(this.ctx, this.jobId), ...options.env },
      signal: this.signal,
      onLine: (line) => this.deps.log.write(line),
      waitForRoom: () => this.deps.log.waitForRoom(),
    });
    return { exitCode: 0 };
  }

  log(...values: unknown[]): void {
    this.deps.log.write(formatLogLine(values));
  }

  async saveArtifact(id: string, path: string): Promise<void> {
    this.signal.throwIfAborted();
    await saveArtifact(this.artifactDeps(), id, path);
  }

  async restoreArtifact(id: string, path: string): Promise<void> {
    this.signal.throwIfAborted();
    await restoreArtifact(this.artifactDeps(), id, path);
  }

  async mask(value: string): Promise<void> {
    if (typeof value !== 'string' || value.length < MIN_MASK_LENGTH) return;
    await this.deps.api.addMask(value);
  }

  skip(reason: string): never {
    throw new SkipSignal(reason);
  }

  setOutput(name: string, value: string): void {
    this.deps.hooks.set(name, value);
  }

  outputs(jobId: string): Readonly<Record<string, string>> {
    return this.deps.hooks.of(jobId);
  }

  addJobs(jobs: readonly Job[]): void {
    this.deps.hooks.addJobs(jobs);
  }

  private artifactDeps() {
    const log = (line: string) => this.deps.log.write(line);
    return { api: this.deps.api, checkout: this.deps.checkout, signal: this.signal, log };
  }
}

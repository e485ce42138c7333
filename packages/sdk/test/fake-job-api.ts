import { OutputBoard } from '../src/executor/outputs';
import type { AttemptHooks } from '../src/executor/types';
import type { Job } from '../src/jobs';
/** A JobApi for executor unit tests: logs kept in memory, no runner behind it. */
import type { BuildContext } from '../src/context';
import { SkipSignal } from '../src/job-api/skip';
import type { JobApi, ShResult } from '../src/job-api/types';

export class InMemoryJobApi implements JobApi {
  readonly lines: string[] = [];

  constructor(
    readonly jobId: string,
    readonly ctx: BuildContext,
    readonly signal: AbortSignal,
    private readonly hooks: AttemptHooks = {
      ...new OutputBoard().collector(),
      addJobs: () => {
        throw new Error('this fake adds no jobs');
      },
    },
  ) {}

  param(name: string): Promise<string>;
  param(name: string, options: { readonly optional: true }): Promise<string | undefined>;
  param(name: string, options?: { readonly optional?: boolean }): Promise<string | undefined> {
    // It knows no parameters: a required one is missing, as in a build without any.
    return options?.optional ? Promise.resolve(undefined) : Promise.reject(new Error(`no ${name}`));
  }
  params(): Promise<Record<string, string>> {
    return Promise.resolve({});
  }
  sh(): Promise<ShResult> {
    return Promise.reject(new Error('InMemoryJobApi runs no commands'));
  }
  log(...values: unknown[]): void {
    this.lines.push(values.map(String).join(' '));
  }
  saveArtifact(): Promise<void> {
    return Promise.reject(new Error('InMemoryJobApi stores no artifacts'));
  }
  restoreArtifact(): Promise<void> {
    return Promise.reject(new Error('InMemoryJobApi stores no artifacts'));
  }
  mask(): Promise<void> {
    return Promise.resolve();
  }
  skip(reason: string): never {
    throw new SkipSignal(reason);
  }
  setOutput(name: string, value: string): void {
    this.hooks.set(name, value);
  }
  outputs(jobId: string): Readonly<Record<string, string>> {
    return this.hooks.of(jobId);
  }
  addJobs(jobs: readonly Job[]): void {
    this.hooks.addJobs(jobs);
  }
}

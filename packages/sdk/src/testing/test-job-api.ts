import type { AttemptHooks } from '../executor/types';
import type { Job } from '../jobs';
/**
 * The `JobApi` an action job gets in a pipeline test. Parameters come from the test (none for
 * an untrusted build, as on the server); every read, mask and command is recorded for the
 * test to assert on. `sh` does not run anything by default: a pipeline test should not publish
 * a package or deploy, so each command is answered from `shResults` (exit 0, no output when
 * the test gives nothing). With `runCommands` it really runs, in the run's checkout folder.
 * Artifacts are real tar.gz files in the run's temp folder.
 */
import type { BuildContext } from '../context';
import { restoreArtifact, saveArtifact } from '../job-api/artifacts';
import { checkParamName, paramValue, type ParamOptions } from '../job-api/params';
import { formatLogLine, type LogSink } from '../job-api/job-log';
import { resolveInCheckout } from '../job-api/paths';
import { MIN_MASK_LENGTH } from '../job-api/script-job-api';
import { CommandFailedError, displayArgv, runCommand } from '../job-api/sh';
import { SkipSignal } from '../job-api/skip';
import type { JobApi, ShOptions, ShResult } from '../job-api/types';
import type { ArtifactStore } from './artifact-store';

/** How a faked command ends: its exit code (default 0) and the lines it prints. */
export interface ShResultSpec {
  readonly exitCode?: number;
  readonly output?: readonly string[];
}

/**
 * Command → its result. A key is either the whole command as the log shows it
 * (`node tools/publish.mjs`) or just the program (`node`); the whole command wins.
 */
export type ShResults = Readonly<Record<string, ShResultSpec>>;

/** One `job.sh()` call. */
export interface ShCall {
  readonly argv: readonly string[];
  readonly cwd?: string;
  /** Only the variables the job passed; the inherited environment is left out. */
  readonly env: Readonly<Record<string, string>>;
}

/** What one action job did, across its attempts. */
export interface ActionRecord {
  readonly paramsRead: string[];
  readonly commands: ShCall[];
  readonly masked: string[];
}

export interface TestJobApiDeps {
  /** This attempt's outputs, those of the jobs before it, and adding jobs (the executor's). */
  readonly hooks: AttemptHooks;
  readonly jobId: string;
  readonly ctx: BuildContext;
  readonly signal: AbortSignal;
  readonly log: LogSink;
  readonly params: Readonly<Record<string, string>>;
  readonly checkout: string;
  readonly artifacts: ArtifactStore;
  readonly shResults: ShResults;
  readonly runCommands: boolean;
  readonly record: ActionRecord;
  readonly onMask: (value: string) => void;
}

export class TestJobApi implements JobApi {
  readonly jobId: string;
  readonly ctx: BuildContext;
  readonly signal: AbortSignal;

  constructor(private readonly deps: TestJobApiDeps) {
    this.jobId = deps.jobId;
    this.ctx = deps.ctx;
    this.signal = deps.signal;
  }

  param(name: string): Promise<string>;
  param(
    name: string,
    options: ParamOptions & { readonly optional: true },
  ): Promise<string | undefined>;
  param(name: string, options?: ParamOptions): Promise<string | undefined> {
    return this.answer(() => {
      checkParamName(name);
      this.deps.record.paramsRead.push(name);
      return paramValue(name, this.visibleParams()[name], options, this.ctx.build.trusted);
    });
  }

  params(): Promise<Record<string, string>> {
    return this.answer(() => {
      this.deps.record.paramsRead.push(...Object.keys(this.visibleParams()));
      return { ...this.visibleParams() };
    });
  }

  async sh(argv: readonly string[], options: ShOptions = {}): Promise<ShResult> {
    this.signal.throwIfAborted();
    const cwd =
      options.cwd === undefined
        ? this.deps.checkout
        : await resolveInCheckout(this.deps.checkout, options.cwd, 'sh() cwd');
    this.deps.record.commands.push({
      argv: [...argv],
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
      env: { ...options.env },
    });
    this.deps.log.write(`$ ${displayArgv(argv)}`);
    if (this.deps.runCommands) {
      await runCommand(argv, {
        cwd,
        env: { ...process.env, ...options.env },
        signal: this.signal,
        onLine: (line) => this.deps.log.write(line),
      });
      return { exitCode: 0 };
    }
    return this.fakeCommand(argv);
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

  mask(value: string): Promise<void> {
    if (typeof value === 'string' && value.length >= MIN_MASK_LENGTH) {
      this.deps.record.masked.push(value);
      this.deps.onMask(value);
    }
    return Promise.resolve();
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

  /** Settles with `compute()`, or rejects with what it throws or the signal's reason. */
  private answer<T>(compute: () => T): Promise<T> {
    return new Promise((resolve) => {
      this.signal.throwIfAborted();
      resolve(compute());
    });
  }

  /** The server gives untrusted builds (pull requests from forks) no parameters at all. */
  private visibleParams(): Readonly<Record<string, string>> {
    return this.ctx.build.trusted ? this.deps.params : {};
  }

  private fakeCommand(argv: readonly string[]): Promise<ShResult> {
    const [program = ''] = argv;
    const answer = this.deps.shResults[displayArgv(argv)] ?? this.deps.shResults[program] ?? {};
    for (const line of answer.output ?? []) this.deps.log.write(line);
    const exitCode = answer.exitCode ?? 0;
    if (exitCode !== 0) return Promise.reject(new CommandFailedError(program, exitCode, null));
    return Promise.resolve({ exitCode: 0 });
  }

  private artifactDeps() {
    const log = (line: string) => this.deps.log.write(line);
    return { api: this.deps.artifacts, checkout: this.deps.checkout, signal: this.signal, log };
  }
}

import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  TERMINAL_BUILD_STATUSES,
  type BuildResult,
  type GitHostAllowlist,
  type ScriptEvent,
} from '@gibbon/contracts';
import {
  runBuild,
  SCRIPT_LOG_ID,
  type ContainerBackend,
  type JobNetwork,
  type ScriptSandbox,
} from '@gibbon/engine';
import type { BlobStore } from '@gibbon/storage';
import { checkoutCommit } from '../checkout/clone';
import type { HostResolver } from '../checkout/fetch-target';
import type { Logger } from '../logger';
import type { BackoffPolicy } from '../reporting/backoff';
import { LogShipper } from '../reporting/log-shipper';
import { ApiParamProvider } from './api-params';
import { buildContextOf } from './build-context';
import type { BuildExecutor, BuildRun } from './build-executor';

export interface EngineExecutorOptions {
  /** Where build folders are made (one per build, deleted after it). */
  workDir: string;
  /** Compiled build scripts by content hash, shared by builds. */
  compileCacheDir: string;
  backend: ContainerBackend;
  network: JobNetwork;
  store: BlobStore;
  logger: Logger;
  backoff: BackoffPolicy;
  /** How long the end of a build waits for its last log chunks while public-api is down. */
  logDrainTimeoutMs: number;
  /** Seconds a canceled job's container gets between SIGTERM and SIGKILL. Default 10. */
  stopGraceSeconds?: number;
  /** Bytes each job's log keeps (`GIBBON_JOB_LOG_LIMIT_MB`); the engine's default when absent. */
  jobLogLimitBytes?: number;
  /** Bytes a build's folders may take on disk (`GIBBON_BUILD_DISK_MB`); no limit when absent. */
  buildDiskLimitBytes?: number;
  /** Log shipping tuning (tests); defaults: 1 s and 64 KiB. */
  logFlushIntervalMs?: number;
  /** The hosts a checkout may fetch from (`RunnerConfig.gitHosts`). */
  gitHosts: GitHostAllowlist;
  /** How the checkout resolves host names for its check; the system resolver by default. */
  resolveHost?: HostResolver;
  /** The box of every build script; absent only where the operator opted out (RunnerConfig). */
  sandbox?: ScriptSandbox;
}

const MESSAGE_MAX_LENGTH = 4096;

/**
 * The real BuildExecutor: isomorphic-git checkout, `build.started`, `runBuild` of the engine
 * with a log shipper as its sink and the script's job events forwarded, then the verdict.
 */
export class EngineExecutor implements BuildExecutor {
  constructor(private readonly options: EngineExecutorOptions) {}

  async execute(run: BuildRun): Promise<BuildResult> {
    await mkdir(this.options.workDir, { recursive: true, mode: 0o700 });
    const folder = await mkdtemp(join(this.options.workDir, 'build-'));
    if (this.options.sandbox?.uids) {
      // The box's user passes through to its checkout; it can list neither folder.
      await chmod(this.options.workDir, 0o711);
      await chmod(folder, 0o711);
    }
    const shipper = this.logShipper(run, join(folder, 'logs'));
    const stopShipping = () => shipper.stop();
    run.reportingSignal.addEventListener('abort', stopShipping, { once: true });
    try {
      await shipper.open();
      return await this.checkoutAndRun(run, folder, shipper);
    } finally {
      await this.closeShipper(shipper);
      run.reportingSignal.removeEventListener('abort', stopShipping);
      await this.removeBuildFolder(run, folder);
    }
  }

  /**
   * A folder that can't be removed (files a job container wrote as root, when the runner is not
   * root) costs disk, not the build: its outcome stands, and the runner's next start retries.
   */
  private async removeBuildFolder(run: BuildRun, folder: string): Promise<void> {
    try {
      await rm(folder, { recursive: true, force: true });
    } catch (error) {
      this.options.logger.log('warn', 'could not remove the build folder', {
        buildId: run.claim.build.id,
        folder,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  private async checkoutAndRun(
    run: BuildRun,
    folder: string,
    shipper: LogShipper,
  ): Promise<BuildResult> {
    const { claim, signal } = run;
    const checkoutDir = join(folder, 'checkout');
    let checkedOut;
    try {
      checkedOut = await checkoutCommit({
        url: claim.repo.url,
        ref: claim.build.git.ref,
        commit: claim.build.git.commit,
        token: claim.repo.cloneToken,
        baseBranch: claim.build.git.pullRequest?.baseBranch ?? null,
        dir: checkoutDir,
        signal,
        gitHosts: this.options.gitHosts,
        ...(this.options.resolveHost ? { resolveHost: this.options.resolveHost } : {}),
      });
    } catch (error) {
      if (signal.aborted) return { status: 'canceled' };
      const message = error instanceof Error ? error.message : String(error);
      shipper.write({
        jobId: SCRIPT_LOG_ID,
        seq: 1,
        stream: 'system',
        text: message,
        at: new Date(),
      });
      return { status: 'error', message: message.slice(0, MESSAGE_MAX_LENGTH) };
    }
    run.report({ type: 'build.started', git: checkedOut, at: new Date().toISOString() });
    if (!this.options.sandbox) {
      shipper.write({
        jobId: SCRIPT_LOG_ID,
        seq: 0,
        stream: 'system',
        text: 'This runner runs build scripts unsandboxed (GIBBON_UNSANDBOXED_SCRIPTS=1): this build could read and change the runner machine.',
        at: new Date(),
      });
    }
    const scratch = join(folder, 'work');
    await mkdir(scratch, { mode: 0o700 });
    const outcome = await runBuild({
      checkoutDir,
      context: buildContextOf(claim, checkedOut),
      params: new ApiParamProvider(run.api, run.reportingSignal),
      backend: this.options.backend,
      network: this.options.network,
      logSink: shipper,
      workDir: scratch,
      compileCacheDir: this.options.compileCacheDir,
      signal,
      store: this.options.store,
      onEvent: (event) => forwardEvent(run, event, shipper),
      approvals: run.approvals,
      ...(this.options.sandbox ? { sandbox: this.options.sandbox } : {}),
      // The repository's choice; the engine applies it to untrusted builds only.
      untrustedNetwork: claim.repo.untrustedNetwork,
      ...(this.options.jobLogLimitBytes ? { jobLogLimitBytes: this.options.jobLogLimitBytes } : {}),
      ...(this.options.buildDiskLimitBytes
        ? { diskLimitBytes: this.options.buildDiskLimitBytes }
        : {}),
      ...(this.options.stopGraceSeconds === undefined
        ? {}
        : { stopGraceSeconds: this.options.stopGraceSeconds }),
    });
    return resultOf(outcome.status, outcome.message);
  }

  private logShipper(run: BuildRun, folder: string): LogShipper {
    return new LogShipper({
      put: (jobId, seq, text, signal) => run.api.putLogChunk(jobId, seq, text, signal),
      folder,
      backoff: this.options.backoff,
      ...(this.options.logFlushIntervalMs
        ? { flushIntervalMs: this.options.logFlushIntervalMs }
        : {}),
      onLeaseLost: () => run.leaseLost(),
      onRefused: (jobId, error) =>
        this.options.logger.log('warn', 'public-api refused a log chunk; that job ships no more', {
          buildId: run.claim.build.id,
          jobId,
          error,
        }),
    });
  }

  /** Ships the rest of the log, giving up after `logDrainTimeoutMs` of public-api being down. */
  private async closeShipper(shipper: LogShipper): Promise<void> {
    const giveUp = setTimeout(() => shipper.stop(), this.options.logDrainTimeoutMs);
    try {
      await shipper.close();
    } finally {
      clearTimeout(giveUp);
    }
  }
}

/** `script.ended` is the script's verdict for the runner, not an event of public-api's timeline. */
/**
 * A job's `job.ended` goes out only after its log is stored: public-api ends a `?follow=true`
 * stream when the job ends, and a follower must not miss the job's last lines.
 */
function forwardEvent(run: BuildRun, event: ScriptEvent, shipper: LogShipper): void {
  if (event.type === 'script.ended') return;
  if (event.type === 'job.ended') run.report(event, shipper.drainJob(event.jobId));
  else run.report(event);
}

function resultOf(status: string, message: string | undefined): BuildResult {
  const ended = TERMINAL_BUILD_STATUSES.find((terminal) => terminal === status);
  const result: BuildResult = ended
    ? { status: ended }
    : { status: 'error', message: `The build ended in the unexpected state ${status}.` };
  if (ended && message) result.message = message.slice(0, MESSAGE_MAX_LENGTH);
  return result;
}

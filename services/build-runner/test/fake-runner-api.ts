import {
  type ApprovalDecision,
  type BuildResult,
  type Claim,
  type HeartbeatAnswer,
  type ParamValueList,
  type RunnerEvent,
  ConflictError,
  UnavailableError,
} from '@gibbon/contracts';
import type { BuildApi, ClaimOptions, RunnerApi } from '../src/runner-api/runner-api';

export type HeartbeatMode = 'ok' | 'cancel' | 'conflict' | 'unavailable';

export interface Posted {
  buildId: string;
  kind: 'event' | 'result';
  body: RunnerEvent | BuildResult;
}

/**
 * An in-memory public-api for the orchestration's unit tests: a queue of builds to claim, a
 * heartbeat mode per build, and a record of everything posted. Calls after a build's lease
 * was taken back answer 409, as the real one does.
 */
export class FakeRunnerApi implements RunnerApi {
  readonly queue: Claim[] = [];
  readonly claimRequests: ClaimOptions[] = [];
  readonly posted: Posted[] = [];
  readonly heartbeats = new Map<string, number>();
  readonly heartbeatMode = new Map<string, HeartbeatMode>();
  /** Decisions on approval jobs each heartbeat of a build carries, as public-api sends them. */
  readonly approvals = new Map<string, ApprovalDecision[]>();
  /** How many result posts fail with 503 before one succeeds. */
  resultFailures = 0;
  private wakeClaim: (() => void) | undefined;

  enqueue(claim: Claim): void {
    this.queue.push(claim);
    this.wakeClaim?.();
  }

  async claim(options: ClaimOptions): Promise<Claim | undefined> {
    this.claimRequests.push(options);
    if (this.queue.length === 0) await this.waitForQueue(options);
    options.signal?.throwIfAborted();
    return this.queue.shift();
  }

  forBuild(claim: Claim): BuildApi {
    return new FakeBuildApi(this, claim.build.id);
  }

  postedFor(buildId: string): Posted[] {
    return this.posted.filter((entry) => entry.buildId === buildId);
  }

  private waitForQueue({ waitSeconds, signal }: ClaimOptions): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.wakeClaim = undefined;
        resolve();
      };
      const timer = setTimeout(done, waitSeconds * 1000);
      signal?.addEventListener('abort', done, { once: true });
      this.wakeClaim = done;
    });
  }
}

class FakeBuildApi implements BuildApi {
  constructor(
    private readonly server: FakeRunnerApi,
    private readonly buildId: string,
  ) {}

  heartbeat(): Promise<HeartbeatAnswer> {
    const { server, buildId } = this;
    server.heartbeats.set(buildId, (server.heartbeats.get(buildId) ?? 0) + 1);
    const mode = server.heartbeatMode.get(buildId) ?? 'ok';
    if (mode === 'conflict') return Promise.reject(new ConflictError('renew the lease: lapsed'));
    if (mode === 'unavailable') return Promise.reject(new UnavailableError('down'));
    const leaseExpiresAt = new Date(Date.now() + 600).toISOString();
    const approvals = server.approvals.get(buildId);
    return Promise.resolve({
      leaseExpiresAt,
      cancel: mode === 'cancel',
      ...(approvals ? { approvals } : {}),
    });
  }

  postEvent(event: RunnerEvent): Promise<void> {
    return this.record('event', event);
  }

  putLogChunk(): Promise<number> {
    return Promise.reject(new Error('logs are not part of the orchestration tests'));
  }

  params(): Promise<ParamValueList> {
    return Promise.resolve({ values: [] });
  }

  postResult(result: BuildResult): Promise<void> {
    if (this.server.resultFailures > 0) {
      this.server.resultFailures -= 1;
      return Promise.reject(new UnavailableError('post result: HTTP 503'));
    }
    return this.record('result', result);
  }

  private record(kind: Posted['kind'], body: Posted['body']): Promise<void> {
    if (this.server.heartbeatMode.get(this.buildId) === 'conflict') {
      return Promise.reject(new ConflictError('lease lapsed'));
    }
    this.server.posted.push({ buildId: this.buildId, kind, body });
    return Promise.resolve();
  }
}

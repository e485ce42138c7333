import type { BuildResult, Claim, RunnerEvent } from '@gibbon/contracts';
import {
  answerOf,
  createRunnerApiClient,
  type AnswerWording,
  type RunnerApiClient as GeneratedClient,
} from '@gibbon/contracts/clients';
import type { BuildApi, ClaimOptions, RunnerApi } from './runner-api';

/** Seconds a call other than the long-poll may take before it counts as unreachable. */
const CALL_TIMEOUT_SECONDS = 30;

/** A call's own signal, ended by the caller or by the call timeout, whichever comes first. */
function callSignal(signal: AbortSignal | undefined, timeoutSeconds = CALL_TIMEOUT_SECONDS) {
  const timeout = AbortSignal.timeout(timeoutSeconds * 1000);
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}

/**
 * The runner API through the generated client of `@gibbon/contracts/clients`, read by
 * `answerOf`: a refused call is its domain error (`ConflictError`: the lease is gone), an
 * unreachable or failing server an `UnavailableError` (try again). Tokens travel only in the
 * `Authorization` header; no error message or log line carries them.
 */
export class RunnerApiClient implements RunnerApi {
  private readonly runnerApi: GeneratedClient;
  private readonly wording: AnswerWording;

  constructor(
    private readonly serverUrl: string,
    runnerToken: string,
  ) {
    this.runnerApi = createRunnerApiClient({ baseUrl: serverUrl, token: runnerToken });
    this.wording = {
      unreachable: (cause) =>
        `public-api at ${serverUrl.replace(/\/+$/, '')} is unreachable (${cause})`,
    };
  }

  async claim({ waitSeconds, capacity, signal }: ClaimOptions): Promise<Claim | undefined> {
    const own = callSignal(signal, waitSeconds + CALL_TIMEOUT_SECONDS);
    const claim = await answerOf(
      'claim a build',
      this.runnerApi.POST('/v1/runner/claim', {
        params: { query: { wait: waitSeconds } },
        // public-api shows it and holds it against the runner's os/arch labels.
        body: { capacity, platform: { os: process.platform, arch: process.arch } },
        signal: own,
      }),
      this.wording,
      signal,
    );
    return claim ?? undefined;
  }

  forBuild(claim: Claim): BuildApi {
    return new BuildApiClient(
      createRunnerApiClient({ baseUrl: this.serverUrl, token: claim.buildToken }),
      claim,
      this.wording,
    );
  }
}

/** The calls about one claimed build: build token, lease header, build id in every path. */
class BuildApiClient implements BuildApi {
  constructor(
    private readonly api: GeneratedClient,
    private readonly claim: Claim,
    private readonly wording: AnswerWording,
  ) {}

  /** The lease header and the build's path parameters, with `extra` path parameters. */
  private target(): { header: { 'X-Gibbon-Lease': string }; path: { buildId: string } };
  private target<Extra extends object>(
    extra: Extra,
  ): { header: { 'X-Gibbon-Lease': string }; path: { buildId: string } & Extra };
  private target(extra: object = {}) {
    return {
      header: { 'X-Gibbon-Lease': this.claim.lease.id },
      path: { buildId: this.claim.build.id, ...extra },
    };
  }

  heartbeat(signal?: AbortSignal) {
    return answerOf(
      'renew the lease',
      this.api.POST('/v1/runner/builds/{buildId}/heartbeat', {
        params: this.target(),
        signal: callSignal(signal),
      }),
      this.wording,
      signal,
    );
  }

  async postEvent(event: RunnerEvent, signal?: AbortSignal): Promise<void> {
    await answerOf(
      `post ${event.type}`,
      this.api.POST('/v1/runner/builds/{buildId}/events', {
        params: this.target(),
        body: event,
        signal: callSignal(signal),
      }),
      this.wording,
      signal,
    );
  }

  async putLogChunk(
    jobId: string,
    seq: number,
    text: string,
    signal?: AbortSignal,
  ): Promise<number> {
    const stored = await answerOf(
      `store log chunk ${seq} of ${jobId}`,
      this.api.PUT('/v1/runner/builds/{buildId}/jobs/{jobId}/logs/{seq}', {
        params: this.target({ jobId, seq }),
        body: text,
        bodySerializer: (body: string) => body,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        signal: callSignal(signal),
      }),
      this.wording,
      signal,
    );
    return stored.nextSeq;
  }

  params(signal?: AbortSignal) {
    return answerOf(
      'fetch parameters',
      this.api.GET('/v1/runner/builds/{buildId}/params', {
        params: this.target(),
        signal: callSignal(signal),
      }),
      this.wording,
      signal,
    );
  }

  async postResult(result: BuildResult, signal?: AbortSignal): Promise<void> {
    await answerOf(
      `post result ${result.status}`,
      this.api.POST('/v1/runner/builds/{buildId}/result', {
        params: this.target(),
        body: result,
        signal: callSignal(signal),
      }),
      this.wording,
      signal,
    );
  }
}

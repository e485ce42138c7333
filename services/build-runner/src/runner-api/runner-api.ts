import type {
  BuildResult,
  Claim,
  HeartbeatAnswer,
  ParamValueList,
  RunnerEvent,
} from '@gibbon/contracts';

export interface ClaimOptions {
  /** Seconds public-api may hold the request waiting for a build (0 to 30). */
  waitSeconds: number;
  /** Free build slots right now (informational). */
  capacity: number;
  signal?: AbortSignal;
}

/**
 * The runner API (spec section 6) as the runner uses it. Errors: a `ConflictError` from any
 * build call means the lease was taken back (stop the build, post nothing more);
 * `UnavailableError` means public-api is unreachable or failing and the call may be
 * repeated; other domain errors are final answers.
 */
export interface RunnerApi {
  /** A claimed build, or `undefined` when none came within the wait. */
  claim(options: ClaimOptions): Promise<Claim | undefined>;
  /** The calls about one claimed build, with its build token and lease. */
  forBuild(claim: Claim): BuildApi;
}

/** Calls about one claimed build. Safe to call concurrently. */
export interface BuildApi {
  heartbeat(signal?: AbortSignal): Promise<HeartbeatAnswer>;
  postEvent(event: RunnerEvent, signal?: AbortSignal): Promise<void>;
  /** Stores chunk `seq` of a job's log; answers the lowest chunk number not yet stored. */
  putLogChunk(jobId: string, seq: number, text: string, signal?: AbortSignal): Promise<number>;
  params(signal?: AbortSignal): Promise<ParamValueList>;
  postResult(result: BuildResult, signal?: AbortSignal): Promise<void>;
}

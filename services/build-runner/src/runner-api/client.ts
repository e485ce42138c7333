import {
  errorOfAnswer,
  UnavailableError,
  type BuildResult,
  type Claim,
  type RunnerApiOperations,
  type RunnerEvent,
} from '@gibbon/contracts';
import type { BuildApi, ClaimOptions, RunnerApi } from './runner-api';

type Ops = RunnerApiOperations;
type JsonOf<
  Op extends keyof Ops,
  Status extends keyof Ops[Op]['responses'],
> = Ops[Op]['responses'][Status] extends { content: { 'application/json': infer Body } }
  ? Body
  : never;

type ClaimBody = NonNullable<Ops['claimBuild']['requestBody']>['content']['application/json'];
type EventBody = Ops['postBuildEvent']['requestBody']['content']['application/json'];

/** Seconds a call other than the long-poll may take before it counts as unreachable. */
const CALL_TIMEOUT_SECONDS = 30;

interface Call {
  operation: string;
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  token: string;
  lease?: string;
  body?: { json: unknown } | { text: string };
  timeoutSeconds?: number;
  signal?: AbortSignal | undefined;
}

/**
 * The runner API over fetch. Tokens travel only in the `Authorization` header; no error
 * message or log line carries them (messages name the operation and the server's words).
 */
export class RunnerApiClient implements RunnerApi {
  private readonly baseUrl: string;

  constructor(
    serverUrl: string,
    private readonly runnerToken: string,
  ) {
    this.baseUrl = serverUrl.replace(/\/+$/, '');
  }

  async claim({ waitSeconds, capacity, signal }: ClaimOptions): Promise<Claim | undefined> {
    const body = { capacity } satisfies ClaimBody;
    const answer = await this.call({
      operation: 'claim a build',
      method: 'POST',
      path: `/v1/runner/claim?wait=${waitSeconds}`,
      token: this.runnerToken,
      body: { json: body },
      timeoutSeconds: waitSeconds + CALL_TIMEOUT_SECONDS,
      signal,
    });
    if (answer.status === 204) return undefined;
    return (await answer.json()) as JsonOf<'claimBuild', 200>;
  }

  forBuild(claim: Claim): BuildApi {
    return new BuildApiClient(this, claim);
  }

  /** One request; resolves with a 2xx answer, rejects with a translated error otherwise. */
  async call(call: Call): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Bearer ${call.token}` };
    if (call.lease !== undefined) headers['x-gibbon-lease'] = call.lease;
    let body: string | undefined;
    if (call.body && 'json' in call.body) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(call.body.json);
    } else if (call.body) {
      headers['content-type'] = 'text/plain; charset=utf-8';
      body = call.body.text;
    }
    const timeout = AbortSignal.timeout((call.timeoutSeconds ?? CALL_TIMEOUT_SECONDS) * 1000);
    const signal = call.signal ? AbortSignal.any([call.signal, timeout]) : timeout;
    let answer: Response;
    try {
      answer = await fetch(`${this.baseUrl}${call.path}`, {
        method: call.method,
        headers,
        signal,
        ...(body === undefined ? {} : { body }),
      });
    } catch (error) {
      if (call.signal?.aborted) throw error;
      throw new UnavailableError(
        `${call.operation}: public-api at ${this.baseUrl} is unreachable (${causeText(error)})`,
        { cause: error },
      );
    }
    if (answer.ok) return answer;
    throw errorOfAnswer(call.operation, answer.status, await answer.text().catch(() => ''));
  }
}

function causeText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}

/** The calls about one claimed build: build token, lease header, build id in every path. */
class BuildApiClient implements BuildApi {
  private readonly base: string;

  constructor(
    private readonly client: RunnerApiClient,
    private readonly claim: Claim,
  ) {
    this.base = `/v1/runner/builds/${encodeURIComponent(claim.build.id)}`;
  }

  async heartbeat(signal?: AbortSignal): Promise<JsonOf<'heartbeat', 200>> {
    const answer = await this.request('renew the lease', 'POST', '/heartbeat', undefined, signal);
    return (await answer.json()) as JsonOf<'heartbeat', 200>;
  }

  async postEvent(event: RunnerEvent, signal?: AbortSignal): Promise<void> {
    const body = event satisfies EventBody;
    await this.request(`post ${event.type}`, 'POST', '/events', { json: body }, signal);
  }

  async putLogChunk(
    jobId: string,
    seq: number,
    text: string,
    signal?: AbortSignal,
  ): Promise<number> {
    const path = `/jobs/${encodeURIComponent(jobId)}/logs/${seq}`;
    const answer = await this.request(
      `store log chunk ${seq} of ${jobId}`,
      'PUT',
      path,
      { text },
      signal,
    );
    return ((await answer.json()) as JsonOf<'putLogChunk', 200>).nextSeq;
  }

  async params(signal?: AbortSignal): Promise<JsonOf<'getBuildParams', 200>> {
    const answer = await this.request('fetch parameters', 'GET', '/params', undefined, signal);
    return (await answer.json()) as JsonOf<'getBuildParams', 200>;
  }

  async postResult(result: BuildResult, signal?: AbortSignal): Promise<void> {
    await this.request(`post result ${result.status}`, 'POST', '/result', { json: result }, signal);
  }

  private request(
    operation: string,
    method: Call['method'],
    path: string,
    body: Call['body'],
    signal: AbortSignal | undefined,
  ): Promise<Response> {
    return this.client.call({
      operation,
      method,
      path: `${this.base}${path}`,
      token: this.claim.buildToken,
      lease: this.claim.lease.id,
      ...(body ? { body } : {}),
      signal,
    });
  }
}

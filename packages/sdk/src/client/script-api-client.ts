/**
 * Typed methods for the Script API operations of spec section 3, as calls on the generated
 * Script API client of `@gibbon/contracts/clients` over the endpoint's socket. `ScriptApi` is
 * the interface the job API and the runtime depend on, so their tests can hand them an
 * in-memory one.
 */
import { Readable } from 'node:stream';
import {
  answerOf,
  createScriptApiClient,
  NotFoundError,
  type AnswerWording,
  type GeneratedScriptApiClient as GeneratedClient,
} from '../contracts';
import type { ApprovalAnswer } from '@gibbon/contracts';
import type { GivenContext } from '../context';
import { readApiConfig, type ApiConfig } from './config';
import { baseUrlOf, describeEndpoint, endpointFetch } from './endpoint-fetch';
import { assertOperations } from './operations';
import type { ContainerRunAnswer, ContainerRunRequest, ScriptEvent } from './types';

/** Every call rejects with a domain error (`NotFoundError`, `AuthenticationError`, …) on an error answer. */
export interface ScriptApi {
  getBuild(): Promise<GivenContext>;
  getParams(): Promise<Record<string, string>>;
  /** Undefined when the build sees no parameter of that name. */
  getParam(name: string): Promise<string | undefined>;
  addMask(value: string): Promise<void>;
  /** Resolves when the container job has ended; aborting `signal` closes the request (the runner's cancel). */
  runContainerJob(
    jobId: string,
    request: ContainerRunRequest,
    signal: AbortSignal,
  ): Promise<ContainerRunAnswer>;
  postEvent(event: ScriptEvent): Promise<void>;
  appendLogs(jobId: string, lines: readonly string[]): Promise<void>;
  /** Streams a tar.gz to the runner as artifact `id`. */
  uploadArtifact(id: string, archive: Readable, signal?: AbortSignal): Promise<void>;
  /** The tar.gz of artifact `id`; rejects with `NotFoundError` when there is none. */
  downloadArtifact(id: string, signal?: AbortSignal): Promise<Readable>;
  /** The decision on a job reported `job.waiting`, waiting up to `waitSeconds` for one. */
  getApproval(jobId: string, waitSeconds: number, signal: AbortSignal): Promise<ApprovalAnswer>;
}

export class ScriptApiClient implements ScriptApi {
  private readonly api: GeneratedClient;
  private readonly wording: AnswerWording;

  constructor(config: ApiConfig) {
    this.api = createScriptApiClient({
      baseUrl: baseUrlOf(config.endpoint),
      token: config.token,
      fetch: endpointFetch(config.endpoint),
    });
    const where = describeEndpoint(config.endpoint);
    this.wording = {
      unreachable: (cause) => `the Script API at ${where} is unreachable (${cause})`,
    };
  }

  /** The runner's OpenAPI document, to check it has every operation the SDK calls. */
  document(): Promise<unknown> {
    return answerOf('GET /v1/openapi.json', this.api.GET('/v1/openapi.json'), this.wording);
  }

  getBuild(): Promise<GivenContext> {
    return answerOf('GET /v1/build', this.api.GET('/v1/build'), this.wording);
  }

  async getParams(): Promise<Record<string, string>> {
    const answer = await answerOf('GET /v1/params', this.api.GET('/v1/params'), this.wording);
    return Object.fromEntries(answer.values.map((param) => [param.name, param.value]));
  }

  async getParam(name: string): Promise<string | undefined> {
    try {
      const pending = this.api.GET('/v1/params/{name}', { params: { path: { name } } });
      return (await answerOf(`GET /v1/params/${name}`, pending, this.wording)).value;
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  async addMask(value: string): Promise<void> {
    await answerOf('POST /v1/masks', this.api.POST('/v1/masks', { body: { value } }), this.wording);
  }

  runContainerJob(
    jobId: string,
    request: ContainerRunRequest,
    signal: AbortSignal,
  ): Promise<ContainerRunAnswer> {
    return answerOf(
      `POST /v1/jobs/${jobId}/run`,
      this.api.POST('/v1/jobs/{jobId}/run', {
        params: { path: { jobId } },
        body: request,
        signal,
      }),
      this.wording,
      signal,
    );
  }

  async postEvent(event: ScriptEvent): Promise<void> {
    await answerOf('POST /v1/events', this.api.POST('/v1/events', { body: event }), this.wording);
  }

  async appendLogs(jobId: string, lines: readonly string[]): Promise<void> {
    await answerOf(
      `POST /v1/jobs/${jobId}/logs`,
      this.api.POST('/v1/jobs/{jobId}/logs', {
        params: { path: { jobId } },
        body: { lines: [...lines] },
      }),
      this.wording,
    );
  }

  async uploadArtifact(id: string, archive: Readable, signal?: AbortSignal): Promise<void> {
    await answerOf(
      `PUT /v1/artifacts/${id}`,
      this.api.PUT('/v1/artifacts/{artifactId}', {
        params: { path: { artifactId: id } },
        body: Readable.toWeb(archive) as unknown as string,
        // The stream goes to the socket as it is, not through JSON.stringify.
        bodySerializer: (body: unknown) => body,
        headers: { 'content-type': 'application/gzip' },
        duplex: 'half',
        ...(signal ? { signal } : {}),
      }),
      this.wording,
      signal,
    );
  }

  async downloadArtifact(id: string, signal?: AbortSignal): Promise<Readable> {
    const body = await answerOf(
      `GET /v1/artifacts/${id}`,
      this.api.GET('/v1/artifacts/{artifactId}', {
        params: { path: { artifactId: id } },
        parseAs: 'stream',
        ...(signal ? { signal } : {}),
      }),
      this.wording,
      signal,
    );
    if (!body) return Readable.from([]);
    return Readable.fromWeb(body);
  }

  getApproval(jobId: string, waitSeconds: number, signal: AbortSignal): Promise<ApprovalAnswer> {
    return answerOf(
      `GET /v1/jobs/${jobId}/approval`,
      this.api.GET('/v1/jobs/{jobId}/approval', {
        params: { path: { jobId }, query: { wait: waitSeconds } },
        signal,
      }),
      this.wording,
      signal,
    );
  }
}

/**
 * Connects to the runner's Script API from the environment: checks both variables, fetches
 * `GET /v1/openapi.json` once and refuses an API that lacks an operation the SDK needs.
 */
export async function connectScriptApi(
  env: NodeJS.ProcessEnv = process.env,
): Promise<ScriptApiClient> {
  const client = new ScriptApiClient(readApiConfig(env));
  assertOperations(await client.document());
  return client;
}

/**
 * Typed methods for the Script API operations of spec section 3. `ScriptApi` is the interface
 * the job API and the runtime depend on, so their tests can hand them an in-memory one.
 */
import type { Readable } from 'node:stream';
import { NotFoundError, type ParamValue } from '../contracts';
import type { BuildContext } from '../context';
import { readApiConfig } from './config';
import { assertOperations } from './operations';
import { ScriptApiTransport } from './transport';
import type { ContainerRunAnswer, ContainerRunRequest, ParamsAnswer, ScriptEvent } from './types';

/** Every call rejects with a domain error (`NotFoundError`, `AuthenticationError`, …) on an error answer. */
export interface ScriptApi {
  getBuild(): Promise<BuildContext>;
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
}

const segment = encodeURIComponent;

export class ScriptApiClient implements ScriptApi {
  constructor(private readonly transport: ScriptApiTransport) {}

  getBuild(): Promise<BuildContext> {
    return this.transport.json<BuildContext>('GET', '/v1/build');
  }

  async getParams(): Promise<Record<string, string>> {
    const answer = await this.transport.json<ParamsAnswer>('GET', '/v1/params');
    return Object.fromEntries(answer.values.map((param) => [param.name, param.value]));
  }

  async getParam(name: string): Promise<string | undefined> {
    try {
      return (await this.transport.json<ParamValue>('GET', `/v1/params/${segment(name)}`)).value;
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  async addMask(value: string): Promise<void> {
    await this.transport.json('POST', '/v1/masks', { value });
  }

  runContainerJob(
    jobId: string,
    request: ContainerRunRequest,
    signal: AbortSignal,
  ): Promise<ContainerRunAnswer> {
    return this.transport.json<ContainerRunAnswer>(
      'POST',
      `/v1/jobs/${segment(jobId)}/run`,
      request,
      signal,
    );
  }

  async postEvent(event: ScriptEvent): Promise<void> {
    await this.transport.json('POST', '/v1/events', event);
  }

  async appendLogs(jobId: string, lines: readonly string[]): Promise<void> {
    await this.transport.json('POST', `/v1/jobs/${segment(jobId)}/logs`, { lines });
  }

  async uploadArtifact(id: string, archive: Readable, signal?: AbortSignal): Promise<void> {
    const response = await this.transport.request('PUT', `/v1/artifacts/${segment(id)}`, {
      stream: archive,
      contentType: 'application/gzip',
      ...(signal ? { signal } : {}),
    });
    response.resume();
  }

  downloadArtifact(id: string, signal?: AbortSignal): Promise<Readable> {
    return this.transport.request('GET', `/v1/artifacts/${segment(id)}`, signal ? { signal } : {});
  }
}

/**
 * Connects to the runner's Script API from the environment: checks both variables, fetches
 * `GET /v1/openapi.json` once and refuses an API that lacks an operation the SDK needs.
 */
export async function connectScriptApi(
  env: NodeJS.ProcessEnv = process.env,
): Promise<ScriptApiClient> {
  const transport = new ScriptApiTransport(readApiConfig(env));
  assertOperations(await transport.json<unknown>('GET', '/v1/openapi.json'));
  return new ScriptApiClient(transport);
}

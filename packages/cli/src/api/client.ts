import type {
  Build,
  BuildList,
  BuildTrigger,
  KeyStatus,
  MasterKeyRotation,
  OrgList,
  ParamSet,
  ParamSetCreate,
  ParamSetList,
  RepoList,
  SigningKeyRotate,
  SigningKeyRotation,
} from '@gibbon/contracts';
import { UnavailableError, UnprocessableError } from '@gibbon/contracts/core';
import type { RepoRef, ServerConfig } from './config';
import { errorOfResponse } from './errors';

type Method = 'GET' | 'POST' | 'DELETE';

/**
 * The public API (spec section 4) for the CLI, typed by the contracts package. Every method
 * throws the domain error the API's error body names (`errorOfAnswer`), or an UnavailableError
 * when the server can't be reached. Stateless: one instance per command.
 */
export class GibbonClient {
  constructor(
    private readonly config: ServerConfig,
    private readonly signal?: AbortSignal,
  ) {}

  listOrgs(): Promise<OrgList> {
    return this.json('GET', '/v1/orgs', 'Listing organisations');
  }

  listRepos(org: string): Promise<RepoList> {
    return this.json('GET', `/v1/orgs/${seg(org)}/repos`, `Listing the repositories of ${org}`);
  }

  listBuilds({ org, repo }: RepoRef, limit = 20): Promise<BuildList> {
    return this.json(
      'GET',
      `${repoPath(org, repo)}/builds?limit=${limit}`,
      `Listing builds of ${org}/${repo}`,
    );
  }

  getBuild({ org, repo }: RepoRef, number: number): Promise<Build> {
    return this.json('GET', `${repoPath(org, repo)}/builds/${number}`, `Reading build ${number}`);
  }

  triggerBuild({ org, repo }: RepoRef, trigger: BuildTrigger): Promise<Build> {
    return this.json(
      'POST',
      `${repoPath(org, repo)}/builds`,
      `Triggering a build of ${org}/${repo}`,
      trigger,
    );
  }

  cancelBuild({ org, repo }: RepoRef, number: number): Promise<Build> {
    return this.json(
      'POST',
      `${repoPath(org, repo)}/builds/${number}/cancel`,
      `Canceling build ${number}`,
    );
  }

  listParamSets(org: string): Promise<ParamSetList> {
    return this.json('GET', `/v1/orgs/${seg(org)}/params`, `Listing parameter sets of ${org}`);
  }

  createParamSet(org: string, body: ParamSetCreate): Promise<ParamSet> {
    return this.json(
      'POST',
      `/v1/orgs/${seg(org)}/params`,
      `Creating a parameter set in ${org}`,
      body,
    );
  }

  async deleteParamSet(org: string, id: string): Promise<void> {
    await this.send(
      'DELETE',
      `/v1/orgs/${seg(org)}/params/${seg(id)}`,
      `Deleting parameter set ${id}`,
    );
  }

  keyStatus(): Promise<KeyStatus> {
    return this.json('GET', '/v1/admin/keys', 'Reading the key state');
  }

  rotateSigningKey(body: SigningKeyRotate): Promise<SigningKeyRotation> {
    return this.json('POST', '/v1/admin/keys/signing/rotate', 'Rotating the signing key', body);
  }

  rotateMasterKey(): Promise<MasterKeyRotation> {
    return this.json('POST', '/v1/admin/keys/master/rotate', 'Rotating the master key');
  }

  /** The job's log text; with `follow`, a stream that stays open until the job ends. */
  async jobLog(
    { org, repo }: RepoRef,
    number: number,
    jobId: string,
    follow: boolean,
  ): Promise<ReadableStream<Uint8Array>> {
    const query = follow ? '?follow=true' : '';
    const path = `${repoPath(org, repo)}/builds/${number}/jobs/${seg(jobId)}/logs${query}`;
    const response = await this.send(
      'GET',
      path,
      `Reading the log of job ${jobId} of build ${number}`,
    );
    if (!response.body) throw new UnprocessableError('The server sent an empty log answer.');
    return response.body;
  }

  private async json<T>(method: Method, path: string, what: string, body?: unknown): Promise<T> {
    const response = await this.send(method, path, what, body);
    return (await response.json()) as T;
  }

  private async send(
    method: Method,
    path: string,
    what: string,
    body?: unknown,
  ): Promise<Response> {
    const url = new URL(path.replace(/^\//, ''), withSlash(this.config.baseUrl));
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${this.config.token}`,
          accept: 'application/json, text/plain',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        ...(this.signal ? { signal: this.signal } : {}),
      });
    } catch (error) {
      const cause = networkCodeOf(error);
      throw new UnavailableError(
        `${what}: cannot reach the Gibbon server at ${this.config.baseUrl.origin} (${cause}); check GIBBON_SERVER_URL and that the server runs.`,
        { cause: error },
      );
    }
    if (!response.ok) throw await errorOfResponse(response, what);
    return response;
  }
}

/** A path segment from user input, encoded so it can never change the path. */
function seg(value: string): string {
  return encodeURIComponent(value);
}

function repoPath(org: string, repo: string): string {
  return `/v1/orgs/${seg(org)}/repos/${seg(repo)}`;
}

/** A base URL with a path prefix (`https://host/gibbon`) keeps its prefix for relative paths. */
function withSlash(url: URL): URL {
  return url.pathname.endsWith('/') ? url : new URL(`${url.href}/`);
}

/** `ECONNREFUSED`, `ENOTFOUND`…: the socket error behind fetch's "fetch failed". */
function networkCodeOf(error: unknown): string {
  const cause = (
    error as { cause?: { code?: string; message?: string; errors?: { code?: string }[] } }
  ).cause;
  return cause?.code ?? cause?.errors?.[0]?.code ?? cause?.message ?? (error as Error).message;
}

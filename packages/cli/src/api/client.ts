import type {
  ArtifactList,
  Build,
  BuildList,
  BuildTrigger,
  KeyStatus,
  MasterKeyRotation,
  Org,
  OrgCreate,
  OrgList,
  ParamSet,
  ParamSetCreate,
  ParamSetList,
  Repo,
  RepoCreate,
  RepoList,
  RunnerCreate,
  RunnerCreated,
  RunnerList,
  SigningKeyRotate,
  SigningKeyRotation,
  TokenCreate,
  TokenCreated,
  TokenList,
  WebhookCreated,
} from '@gibbon/contracts';
import {
  answerOf,
  createPublicApiClient,
  type AnswerWording,
  type PublicApiClient,
} from '@gibbon/contracts/clients';
import { UnprocessableError } from '@gibbon/contracts';
import type { RepoRef, ServerConfig } from './config';

/**
 * The public API (spec section 4) for the CLI: the generated public client of
 * `@gibbon/contracts/clients`, read through `answerOf`. Every method throws the domain error
 * the API's answer names, or an UnavailableError when the server can't be reached. Stateless:
 * one instance per command.
 */
export class GibbonClient {
  private readonly api: PublicApiClient;
  private readonly wording: AnswerWording;

  constructor(
    config: ServerConfig,
    private readonly signal?: AbortSignal,
  ) {
    this.api = createPublicApiClient({ baseUrl: config.baseUrl.href, token: config.token });
    this.wording = {
      unreachable: (cause) =>
        `cannot reach the Gibbon server at ${config.baseUrl.origin} (${cause}); check GIBBON_SERVER_URL and that the server runs.`,
      hints: { unauthenticated: 'Check GIBBON_TOKEN.' },
    };
  }

  listOrgs(): Promise<OrgList> {
    return this.answer('Listing organisations', this.api.GET('/v1/orgs', this.init()));
  }

  createOrg(body: OrgCreate): Promise<Org> {
    return this.answer(
      `Creating organisation ${body.slug}`,
      this.api.POST('/v1/orgs', { ...this.init(), body }),
    );
  }

  createRepo(org: string, body: RepoCreate): Promise<Repo> {
    return this.answer(
      `Creating repository ${org}/${body.name}`,
      this.api.POST('/v1/orgs/{org}/repos', { ...this.init({ path: { org } }), body }),
    );
  }

  async deleteRepo({ org, repo }: RepoRef): Promise<void> {
    await this.answer(
      `Deleting repository ${org}/${repo}`,
      this.api.DELETE('/v1/orgs/{org}/repos/{repo}', this.init({ path: { org, repo } })),
    );
  }

  createWebhook({ org, repo }: RepoRef): Promise<WebhookCreated> {
    return this.answer(
      `Creating a webhook for ${org}/${repo}`,
      this.api.POST('/v1/orgs/{org}/repos/{repo}/webhooks', this.init({ path: { org, repo } })),
    );
  }

  listTokens(org: string): Promise<TokenList> {
    return this.answer(
      `Listing the tokens of ${org}`,
      this.api.GET('/v1/orgs/{org}/tokens', this.init({ path: { org } })),
    );
  }

  createToken(org: string, body: TokenCreate): Promise<TokenCreated> {
    return this.answer(
      `Creating a token in ${org}`,
      this.api.POST('/v1/orgs/{org}/tokens', { ...this.init({ path: { org } }), body }),
    );
  }

  async revokeToken(org: string, id: string): Promise<void> {
    await this.answer(
      `Revoking token ${id}`,
      this.api.DELETE('/v1/orgs/{org}/tokens/{tokenId}', this.init({ path: { org, tokenId: id } })),
    );
  }

  listRunners(): Promise<RunnerList> {
    return this.answer('Listing runners', this.api.GET('/v1/runners', this.init()));
  }

  createRunner(body: RunnerCreate): Promise<RunnerCreated> {
    return this.answer(
      `Registering runner ${body.name}`,
      this.api.POST('/v1/runners', { ...this.init(), body }),
    );
  }

  async deleteRunner(id: string): Promise<void> {
    await this.answer(
      `Deleting runner ${id}`,
      this.api.DELETE('/v1/runners/{runnerId}', this.init({ path: { runnerId: id } })),
    );
  }

  listRepos(org: string): Promise<RepoList> {
    return this.answer(
      `Listing the repositories of ${org}`,
      this.api.GET('/v1/orgs/{org}/repos', this.init({ path: { org } })),
    );
  }

  listBuilds({ org, repo }: RepoRef, limit = 20): Promise<BuildList> {
    return this.answer(
      `Listing builds of ${org}/${repo}`,
      this.api.GET(
        '/v1/orgs/{org}/repos/{repo}/builds',
        this.init({ path: { org, repo }, query: { limit } }),
      ),
    );
  }

  getBuild({ org, repo }: RepoRef, number: number): Promise<Build> {
    return this.answer(
      `Reading build ${number}`,
      this.api.GET(
        '/v1/orgs/{org}/repos/{repo}/builds/{number}',
        this.init({ path: { org, repo, number } }),
      ),
    );
  }

  triggerBuild({ org, repo }: RepoRef, trigger: BuildTrigger): Promise<Build> {
    return this.answer(
      `Triggering a build of ${org}/${repo}`,
      this.api.POST('/v1/orgs/{org}/repos/{repo}/builds', {
        ...this.init({ path: { org, repo } }),
        body: trigger,
      }),
    );
  }

  cancelBuild({ org, repo }: RepoRef, number: number): Promise<Build> {
    return this.answer(
      `Canceling build ${number}`,
      this.api.POST(
        '/v1/orgs/{org}/repos/{repo}/builds/{number}/cancel',
        this.init({ path: { org, repo, number } }),
      ),
    );
  }

  retryBuild({ org, repo }: RepoRef, number: number): Promise<Build> {
    return this.answer(
      `Retrying build ${number}`,
      this.api.POST(
        '/v1/orgs/{org}/repos/{repo}/builds/{number}/retry',
        this.init({ path: { org, repo, number } }),
      ),
    );
  }

  listArtifacts({ org, repo }: RepoRef, number: number): Promise<ArtifactList> {
    return this.answer(
      `Listing the artifacts of build ${number}`,
      this.api.GET(
        '/v1/orgs/{org}/repos/{repo}/builds/{number}/artifacts',
        this.init({ path: { org, repo, number } }),
      ),
    );
  }

  /** The tar.gz of an artifact, as a stream. */
  async artifact(
    { org, repo }: RepoRef,
    number: number,
    artifactId: string,
  ): Promise<ReadableStream<Uint8Array>> {
    const body = await this.answer(
      `Downloading artifact ${artifactId} of build ${number}`,
      this.api.GET('/v1/orgs/{org}/repos/{repo}/builds/{number}/artifacts/{artifactId}', {
        ...this.init({ path: { org, repo, number, artifactId } }),
        parseAs: 'stream',
      }),
    );
    if (!body) throw new UnprocessableError('The server sent an empty artifact answer.');
    return body as ReadableStream<Uint8Array>;
  }

  listParamSets(org: string): Promise<ParamSetList> {
    return this.answer(
      `Listing parameter sets of ${org}`,
      this.api.GET('/v1/orgs/{org}/params', this.init({ path: { org } })),
    );
  }

  createParamSet(org: string, body: ParamSetCreate): Promise<ParamSet> {
    return this.answer(
      `Creating a parameter set in ${org}`,
      this.api.POST('/v1/orgs/{org}/params', { ...this.init({ path: { org } }), body }),
    );
  }

  async deleteParamSet(org: string, id: string): Promise<void> {
    await this.answer(
      `Deleting parameter set ${id}`,
      this.api.DELETE(
        '/v1/orgs/{org}/params/{paramSetId}',
        this.init({ path: { org, paramSetId: id } }),
      ),
    );
  }

  keyStatus(): Promise<KeyStatus> {
    return this.answer('Reading the key state', this.api.GET('/v1/admin/keys', this.init()));
  }

  rotateSigningKey(body: SigningKeyRotate): Promise<SigningKeyRotation> {
    return this.answer(
      'Rotating the signing key',
      this.api.POST('/v1/admin/keys/signing/rotate', { ...this.init(), body }),
    );
  }

  rotateMasterKey(): Promise<MasterKeyRotation> {
    return this.answer(
      'Rotating the master key',
      this.api.POST('/v1/admin/keys/master/rotate', this.init()),
    );
  }

  /**
   * The job's log text from the byte `offset` on (of the masked text: a count of the bytes
   * an earlier answer sent); with `follow`, a stream that stays open until the job ends.
   */
  async jobLog(
    { org, repo }: RepoRef,
    number: number,
    jobId: string,
    { follow, offset = 0 }: { follow: boolean; offset?: number },
  ): Promise<ReadableStream<Uint8Array>> {
    const query = { ...(follow ? { follow } : {}), ...(offset > 0 ? { offset } : {}) };
    const body = await this.answer(
      `Reading the log of job ${jobId} of build ${number}`,
      this.api.GET('/v1/orgs/{org}/repos/{repo}/builds/{number}/jobs/{jobId}/logs', {
        ...this.init({ path: { org, repo, number, jobId }, query }),
        parseAs: 'stream',
      }),
    );
    if (!body) throw new UnprocessableError('The server sent an empty log answer.');
    return body as ReadableStream<Uint8Array>;
  }

  /** Path and query parameters, and the command's cancel signal. */
  private init<Params extends object>(params?: Params) {
    return {
      ...(params === undefined ? {} : { params }),
      ...(this.signal ? { signal: this.signal } : {}),
    } as { params: Params; signal?: AbortSignal };
  }

  private answer<Data>(
    what: string,
    pending: Promise<{ data?: Data; error?: unknown; response: Response }>,
  ): Promise<Data> {
    return answerOf(what, pending, this.wording, this.signal);
  }
}

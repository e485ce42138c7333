import type {
  ArtifactList,
  AuditList,
  DeliveryList,
  Build,
  BuildList,
  BuildTrigger,
  KeyStatus,
  MasterKeyRotation,
  SigningKeyRotate,
  SigningKeyRotation,
} from '@gibbon/contracts';
import { UnprocessableError } from '@gibbon/contracts';
import type { RepoRef } from './config';
import { SetupClient } from './setup-client';

/**
 * The public API (spec section 4) for the CLI: builds, their logs and artifacts, and the
 * server's keys here; the objects an admin sets up in `SetupClient`; the transport in
 * `ApiClientBase`. Every method throws the domain error the API's answer names, or an
 * UnavailableError when the server can't be reached. Stateless: one instance per command.
 */
export class GibbonClient extends SetupClient {
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

  /** Approves or rejects job `jobId` of a build, which waits for that decision. */
  decideJob(
    { org, repo }: RepoRef,
    number: number,
    jobId: string,
    action: 'approve' | 'reject',
    comment?: string,
  ): Promise<Build> {
    const init = {
      ...this.init({ path: { org, repo, number, jobId } }),
      body: comment === undefined ? {} : { comment },
    };
    return action === 'approve'
      ? this.answer(
          `Approving job ${jobId} of build ${number}`,
          this.api.POST('/v1/orgs/{org}/repos/{repo}/builds/{number}/jobs/{jobId}/approve', init),
        )
      : this.answer(
          `Rejecting job ${jobId} of build ${number}`,
          this.api.POST('/v1/orgs/{org}/repos/{repo}/builds/{number}/jobs/{jobId}/reject', init),
        );
  }

  /** A new build of the same commit; with `failedOnly`, reusing the jobs that succeeded. */
  retryBuild({ org, repo }: RepoRef, number: number, failedOnly = false): Promise<Build> {
    return this.answer(
      `Retrying ${failedOnly ? 'the failed jobs of ' : ''}build ${number}`,
      this.api.POST(
        '/v1/orgs/{org}/repos/{repo}/builds/{number}/retry',
        this.init({
          path: { org, repo, number },
          ...(failedOnly ? { query: { failed: true } } : {}),
        }),
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

  /** One page of the audit log, newest first: an org's, or (`org` undefined) the whole log. */
  listAudit(org: string | undefined, limit: number, cursor?: string): Promise<AuditList> {
    const query = { limit, ...(cursor === undefined ? {} : { cursor }) };
    if (org === undefined) {
      return this.answer('Reading the audit log', this.api.GET('/v1/audit', this.init({ query })));
    }
    return this.answer(
      `Reading the audit log of ${org}`,
      this.api.GET('/v1/orgs/{org}/audit', this.init({ path: { org }, query })),
    );
  }

  /** One page of a repository's GitHub deliveries, newest first. */
  listDeliveries({ org, repo }: RepoRef, limit: number, cursor?: string): Promise<DeliveryList> {
    const query = { limit, ...(cursor === undefined ? {} : { cursor }) };
    return this.answer(
      `Listing the deliveries of ${org}/${repo}`,
      this.api.GET(
        '/v1/orgs/{org}/repos/{repo}/deliveries',
        this.init({ path: { org, repo }, query }),
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
}

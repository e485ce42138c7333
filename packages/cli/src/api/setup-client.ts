import type {
  Org,
  OrgCreate,
  OrgList,
  ParamSet,
  ParamSetCreate,
  ParamSetList,
  ParamSetUpdate,
  RegistrationTokenCreate,
  RegistrationTokenCreated,
  RegistrationTokenList,
  Repo,
  RepoCreate,
  RepoList,
  RepoUpdate,
  Runner,
  RunnerCreate,
  RunnerCreated,
  RunnerList,
  Schedule,
  ScheduleCreate,
  ScheduleList,
  ScheduleRunList,
  ScheduleUpdate,
  TokenCreate,
  TokenCreated,
  TokenList,
  WebhookCreated,
} from '@gibbon/contracts';
import { ApiClientBase } from './client-base';
import type { RepoRef } from './config';

/**
 * The objects an admin sets up on the server: organisations, repositories and their
 * webhooks and schedules, API tokens, runners and parameter sets. `GibbonClient` adds builds on top.
 */
export abstract class SetupClient extends ApiClientBase {
  listOrgs(): Promise<OrgList> {
    return this.answer('Listing organisations', this.api.GET('/v1/orgs', this.init()));
  }

  getOrg(org: string): Promise<Org> {
    return this.answer(
      `Reading organisation ${org}`,
      this.api.GET('/v1/orgs/{org}', this.init({ path: { org } })),
    );
  }

  createOrg(body: OrgCreate): Promise<Org> {
    return this.answer(
      `Creating organisation ${body.slug}`,
      this.api.POST('/v1/orgs', { ...this.init(), body }),
    );
  }

  listRepos(org: string): Promise<RepoList> {
    return this.answer(
      `Listing the repositories of ${org}`,
      this.api.GET('/v1/orgs/{org}/repos', this.init({ path: { org } })),
    );
  }

  getRepo({ org, repo }: RepoRef): Promise<Repo> {
    return this.answer(
      `Reading repository ${org}/${repo}`,
      this.api.GET('/v1/orgs/{org}/repos/{repo}', this.init({ path: { org, repo } })),
    );
  }

  createRepo(org: string, body: RepoCreate): Promise<Repo> {
    return this.answer(
      `Creating repository ${org}/${body.name}`,
      this.api.POST('/v1/orgs/{org}/repos', { ...this.init({ path: { org } }), body }),
    );
  }

  /** Only the fields in `body` change; `null` removes the GitHub repository or token. */
  updateRepo({ org, repo }: RepoRef, body: RepoUpdate): Promise<Repo> {
    return this.answer(
      `Changing repository ${org}/${repo}`,
      this.api.PATCH('/v1/orgs/{org}/repos/{repo}', {
        ...this.init({ path: { org, repo } }),
        body,
      }),
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

  drainRunner(id: string): Promise<Runner> {
    return this.answer(
      `Draining runner ${id}`,
      this.api.POST('/v1/runners/{runnerId}/drain', this.init({ path: { runnerId: id } })),
    );
  }

  async deleteRunner(id: string): Promise<void> {
    await this.answer(
      `Deleting runner ${id}`,
      this.api.DELETE('/v1/runners/{runnerId}', this.init({ path: { runnerId: id } })),
    );
  }

  createRegistrationToken(body: RegistrationTokenCreate): Promise<RegistrationTokenCreated> {
    return this.answer(
      'Making a runner registration token',
      this.api.POST('/v1/runner-registration-tokens', { ...this.init(), body }),
    );
  }

  listRegistrationTokens(): Promise<RegistrationTokenList> {
    return this.answer(
      'Listing runner registration tokens',
      this.api.GET('/v1/runner-registration-tokens', this.init()),
    );
  }

  async revokeRegistrationToken(id: string): Promise<void> {
    await this.answer(
      `Revoking registration token ${id}`,
      this.api.DELETE(
        '/v1/runner-registration-tokens/{tokenId}',
        this.init({ path: { tokenId: id } }),
      ),
    );
  }

  listParamSets(org: string): Promise<ParamSetList> {
    return this.answer(
      `Listing parameter sets of ${org}`,
      this.api.GET('/v1/orgs/{org}/params', this.init({ path: { org } })),
    );
  }

  getParamSet(org: string, id: string): Promise<ParamSet> {
    return this.answer(
      `Reading parameter set ${id}`,
      this.api.GET(
        '/v1/orgs/{org}/params/{paramSetId}',
        this.init({ path: { org, paramSetId: id } }),
      ),
    );
  }

  createParamSet(org: string, body: ParamSetCreate): Promise<ParamSet> {
    return this.answer(
      `Creating a parameter set in ${org}`,
      this.api.POST('/v1/orgs/{org}/params', { ...this.init({ path: { org } }), body }),
    );
  }

  /**
   * Replaces the description and label filters (absent: cleared); the values too when `body`
   * has them, else the stored values stay.
   */
  updateParamSet(org: string, id: string, body: ParamSetUpdate): Promise<ParamSet> {
    return this.answer(
      `Replacing parameter set ${id}`,
      this.api.PUT('/v1/orgs/{org}/params/{paramSetId}', {
        ...this.init({ path: { org, paramSetId: id } }),
        body,
      }),
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

  listSchedules({ org, repo }: RepoRef): Promise<ScheduleList> {
    return this.answer(
      `Listing the schedules of ${org}/${repo}`,
      this.api.GET('/v1/orgs/{org}/repos/{repo}/schedules', this.init({ path: { org, repo } })),
    );
  }

  createSchedule({ org, repo }: RepoRef, body: ScheduleCreate): Promise<Schedule> {
    return this.answer(
      `Creating a schedule for ${org}/${repo}`,
      this.api.POST('/v1/orgs/{org}/repos/{repo}/schedules', {
        ...this.init({ path: { org, repo } }),
        body,
      }),
    );
  }

  /** Only the fields in `body` change (`enabled: false` pauses the schedule). */
  updateSchedule({ org, repo }: RepoRef, id: string, body: ScheduleUpdate): Promise<Schedule> {
    return this.answer(
      `Changing schedule ${id}`,
      this.api.PATCH('/v1/orgs/{org}/repos/{repo}/schedules/{scheduleId}', {
        ...this.init({ path: { org, repo, scheduleId: id } }),
        body,
      }),
    );
  }

  async deleteSchedule({ org, repo }: RepoRef, id: string): Promise<void> {
    await this.answer(
      `Deleting schedule ${id}`,
      this.api.DELETE(
        '/v1/orgs/{org}/repos/{repo}/schedules/{scheduleId}',
        this.init({ path: { org, repo, scheduleId: id } }),
      ),
    );
  }

  /** The ticks the schedule fired, newest first (the server keeps the last 100). */
  listScheduleRuns({ org, repo }: RepoRef, id: string): Promise<ScheduleRunList> {
    return this.answer(
      `Listing the runs of schedule ${id}`,
      this.api.GET(
        '/v1/orgs/{org}/repos/{repo}/schedules/{scheduleId}/runs',
        this.init({ path: { org, repo, scheduleId: id } }),
      ),
    );
  }
}

import { NotFoundError, type GitHostAllowlist } from '@gibbon/contracts';
import { githubTokenContext, type DataKeys } from '../crypto/data-keys';
import { open, seal } from '../crypto/aead';
import type { ConcurrencyRules, Label, Repo, TriggerRules } from '../domain';
import { newId, nowIso } from '../ids';
import type { ReposRepository } from './repos.repository';
import { assertAllowedGitHost, assertCloneUrl, assertLabels, assertSlug } from '../validation';
import type { OrgsService } from '../orgs';
import { changedFields, type AuditService } from '../audit';
import type { Principal } from '../auth';
import { triggerRulesOf } from './trigger-rules-input';
import { concurrencyRulesOf } from './concurrency-input';

export interface RepoInput {
  readonly name: string;
  readonly url: string;
  readonly mainBranch?: string;
  readonly labels?: readonly Label[];
  readonly githubRepo?: string;
  readonly githubToken?: string;
  readonly untrustedNetwork?: boolean;
  readonly triggers?: TriggerRules;
  readonly concurrency?: ConcurrencyRules;
}

/** Only the fields present change; `null` removes `githubRepo` or `githubToken`. */
export interface RepoPatch {
  readonly url?: string;
  readonly mainBranch?: string;
  readonly labels?: readonly Label[];
  readonly githubRepo?: string | null;
  readonly githubToken?: string | null;
  readonly untrustedNetwork?: boolean;
  /** Replaces every rule: `{}` removes them all. */
  readonly triggers?: TriggerRules;
  /** Replaces the settings: `{}` is `mode: parallel`. */
  readonly concurrency?: ConcurrencyRules;
}

export class ReposService {
  constructor(
    private readonly repos: ReposRepository,
    private readonly orgs: OrgsService,
    private readonly dataKeys: DataKeys,
    /** The hosts a clone URL may name (`Config.gitHosts`). */
    private readonly gitHosts: GitHostAllowlist,
    private readonly audit: AuditService,
  ) {}

  /** `actor`: who asks (recorded in the audit log); set-up code without one records nothing. */
  async create(org: string, input: RepoInput, actor?: Principal): Promise<Repo> {
    assertSlug(input.name, 'The repository name');
    assertCloneUrl(input.url);
    assertAllowedGitHost(input.url, this.gitHosts);
    assertLabels(input.labels ?? [], 'Labels');
    const triggers = input.triggers === undefined ? {} : triggerRulesOf(input.triggers);
    const concurrency =
      input.concurrency === undefined ? {} : concurrencyRulesOf(input.concurrency);
    await this.orgs.get(org);
    const id = newId('repo');
    const now = nowIso();
    const repo = await this.repos.insert({
      id,
      org,
      name: input.name,
      url: input.url,
      mainBranch: input.mainBranch ?? 'main',
      labels: input.labels ?? [],
      githubRepo: input.githubRepo ?? null,
      githubTokenSealed: await this.sealToken(org, id, input.githubToken),
      untrustedNetwork: input.untrustedNetwork ?? false,
      triggers,
      concurrency,
      createdAt: now,
      updatedAt: now,
    });
    await this.audit.record(actor, { action: 'repo.created', ...auditObject(repo) });
    return repo;
  }

  async list(org: string): Promise<Repo[]> {
    const repos = await this.repos.list(org);
    // Only an empty answer needs telling apart "no repositories" from "no such org".
    if (repos.length === 0) await this.orgs.get(org);
    return repos;
  }

  async get(org: string, name: string): Promise<Repo> {
    const repo = await this.repos.find(org, name);
    if (!repo) throw new NotFoundError(`No repository "${name}" in the organisation "${org}".`);
    return repo;
  }

  /** By internal id (webhooks and builds keep it); `undefined` when it was deleted. */
  getById(id: string): Promise<Repo | undefined> {
    return this.repos.findById(id);
  }

  async update(org: string, name: string, patch: RepoPatch, actor?: Principal): Promise<Repo> {
    if (patch.url !== undefined) {
      assertCloneUrl(patch.url);
      assertAllowedGitHost(patch.url, this.gitHosts);
    }
    if (patch.labels !== undefined) assertLabels(patch.labels, 'Labels');
    const triggers = patch.triggers === undefined ? undefined : triggerRulesOf(patch.triggers);
    const concurrency =
      patch.concurrency === undefined ? undefined : concurrencyRulesOf(patch.concurrency);
    const current = await this.get(org, name);
    const updated = await this.repos.update(org, name, {
      url: patch.url,
      mainBranch: patch.mainBranch,
      labels: patch.labels,
      githubRepo: patch.githubRepo,
      githubTokenSealed:
        patch.githubToken === undefined
          ? undefined
          : await this.sealToken(org, current.id, patch.githubToken),
      untrustedNetwork: patch.untrustedNetwork,
      triggers,
      concurrency,
      updatedAt: nowIso(),
    });
    if (!updated) throw new NotFoundError(`No repository "${name}" in the organisation "${org}".`);
    await this.audit.record(actor, {
      action: 'repo.updated',
      ...auditObject(updated),
      detail: changedFields(patch),
    });
    return updated;
  }

  async delete(org: string, name: string, actor?: Principal): Promise<void> {
    if (!(await this.repos.delete(org, name))) {
      throw new NotFoundError(`No repository "${name}" in the organisation "${org}".`);
    }
    await this.audit.record(actor, { action: 'repo.deleted', ...auditObject({ org, name }) });
  }

  /** The repository's GitHub token in clear, for commit statuses and clones; `null` if none. */
  async githubTokenOf(repo: Repo): Promise<string | null> {
    const sealed = await this.repos.findSealedGithubToken(repo.org, repo.name);
    if (!sealed) return null;
    return open(
      await this.dataKeys.keyOf(repo.org),
      sealed,
      githubTokenContext(repo.org, repo.id),
    ).toString('utf8');
  }

  private async sealToken(
    org: string,
    repoId: string,
    token: string | null | undefined,
  ): Promise<string | null> {
    if (token === undefined || token === null) return null;
    return seal(await this.dataKeys.keyOf(org), token, githubTokenContext(org, repoId));
  }
}

function auditObject(repo: Pick<Repo, 'org' | 'name'>) {
  return { org: repo.org, object: { type: 'repo' as const, id: `${repo.org}/${repo.name}` } };
}

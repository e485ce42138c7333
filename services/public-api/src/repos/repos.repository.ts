import type { Db } from '../db/database';
import { translateConstraintErrors } from '../db/errors';
import type { ReposTable } from '../db/schema';
import type { ConcurrencyRules, Label, Repo, TriggerRules } from '../domain';

function toRepo(row: ReposTable): Repo {
  return {
    id: row.id,
    org: row.org,
    name: row.name,
    url: row.url,
    mainBranch: row.main_branch,
    labels: JSON.parse(row.labels) as Label[],
    githubRepo: row.github_repo,
    hasGithubToken: row.github_token_sealed !== null,
    untrustedNetwork: Number(row.untrusted_network) === 1,
    triggers: JSON.parse(row.triggers) as TriggerRules,
    concurrency: JSON.parse(row.concurrency) as ConcurrencyRules,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** A repository row as written: the GitHub token arrives already sealed. */
export interface RepoRecord {
  readonly id: string;
  readonly org: string;
  readonly name: string;
  readonly url: string;
  readonly mainBranch: string;
  readonly labels: readonly Label[];
  readonly githubRepo: string | null;
  readonly githubTokenSealed: string | null;
  readonly untrustedNetwork: boolean;
  readonly triggers: TriggerRules;
  readonly concurrency: ConcurrencyRules;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export type RepoChanges = Partial<
  Pick<
    RepoRecord,
    | 'url'
    | 'mainBranch'
    | 'labels'
    | 'githubRepo'
    | 'githubTokenSealed'
    | 'untrustedNetwork'
    | 'triggers'
    | 'concurrency'
  >
> & { readonly updatedAt: string };

export class ReposRepository {
  constructor(private readonly db: Db) {}

  async insert(repo: RepoRecord): Promise<Repo> {
    const row: ReposTable = {
      id: repo.id,
      org: repo.org,
      name: repo.name,
      url: repo.url,
      main_branch: repo.mainBranch,
      labels: JSON.stringify(repo.labels),
      github_repo: repo.githubRepo,
      github_token_sealed: repo.githubTokenSealed,
      untrusted_network: repo.untrustedNetwork ? 1 : 0,
      triggers: JSON.stringify(repo.triggers),
      concurrency: JSON.stringify(repo.concurrency),
      created_at: repo.createdAt,
      updated_at: repo.updatedAt,
    };
    await translateConstraintErrors(() => this.db.insertInto('repos').values(row).execute(), {
      conflict: `The organisation "${repo.org}" already has a repository named "${repo.name}".`,
      missingParent: `No organisation "${repo.org}".`,
    });
    return toRepo(row);
  }

  async list(org: string): Promise<Repo[]> {
    const rows = await this.db
      .selectFrom('repos')
      .selectAll()
      .where('org', '=', org)
      .orderBy('name')
      .execute();
    return rows.map(toRepo);
  }

  async find(org: string, name: string): Promise<Repo | undefined> {
    const row = await this.findRow(org, name);
    return row && toRepo(row);
  }

  async findById(id: string): Promise<Repo | undefined> {
    const row = await this.db
      .selectFrom('repos')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toRepo(row);
  }

  /**
   * The labels of every repository that has one named `name`, by repository id. The LIKE finds
   * those without parsing every row (a repository without the label never matches it).
   */
  async labelsOfReposLabelled(name: string): Promise<{ id: string; labels: Label[] }[]> {
    const rows = await this.db
      .selectFrom('repos')
      .select(['id', 'labels'])
      .where('labels', 'like', `%${JSON.stringify(name)}%`)
      .execute();
    return rows.map((row) => ({ id: row.id, labels: JSON.parse(row.labels) as Label[] }));
  }

  /** The sealed GitHub token of a repository, for the services that use it (statuses, clones). */
  async findSealedGithubToken(org: string, name: string): Promise<string | null | undefined> {
    return (await this.findRow(org, name))?.github_token_sealed;
  }

  /** Applies `changes`; returns the repository after them, or `undefined` if it does not exist. */
  async update(org: string, name: string, changes: RepoChanges): Promise<Repo | undefined> {
    await this.db
      .updateTable('repos')
      .set({
        url: changes.url,
        main_branch: changes.mainBranch,
        labels: changes.labels && JSON.stringify(changes.labels),
        github_repo: changes.githubRepo,
        github_token_sealed: changes.githubTokenSealed,
        untrusted_network:
          changes.untrustedNetwork === undefined ? undefined : Number(changes.untrustedNetwork),
        triggers: changes.triggers && JSON.stringify(changes.triggers),
        concurrency: changes.concurrency && JSON.stringify(changes.concurrency),
        updated_at: changes.updatedAt,
      })
      .where('org', '=', org)
      .where('name', '=', name)
      .execute();
    return this.find(org, name);
  }

  /** Removes the repository; `false` if there was none. */
  async delete(org: string, name: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('repos')
      .where('org', '=', org)
      .where('name', '=', name)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  private findRow(org: string, name: string): Promise<ReposTable | undefined> {
    return this.db
      .selectFrom('repos')
      .selectAll()
      .where('org', '=', org)
      .where('name', '=', name)
      .executeTakeFirst();
  }
}

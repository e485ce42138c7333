import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import type { Build } from '@gibbon/contracts';
import { loadWebhookExamples } from '@gibbon/test-kit';
import type { Answer, ApiClient } from './api-client';
import type { CreateRepository, RemoteRepository, SignDelivery } from './parts';

const run = promisify(execFile);

export const org = 'acme';
export const repoName = 'web';
export const githubRepo = 'acme-gh/web';

export interface ProjectSecrets {
  /** The parameter value no log may show in any form. */
  readonly canary: string;
  /** The repository's `githubToken`: commit statuses and the private clone. */
  readonly githubToken: string;
}

/** A `push` payload of the shape GitHub sends, for {@link githubRepo}. */
export function pushPayload(
  sha: string,
  branch = 'main',
  message = 'ci: e2e push',
  added: readonly string[] = [],
): Record<string, unknown> {
  const commit = {
    id: sha,
    message,
    author: { name: 'E2E Tester', email: 'e2e@example.test' },
    added,
    modified: [],
    removed: [],
  };
  return {
    ref: `refs/heads/${branch}`,
    before: '0'.repeat(40),
    after: sha,
    deleted: false,
    commits: [commit],
    head_commit: commit,
    repository: { id: 4242, full_name: githubRepo },
  };
}

/**
 * One org with one repository, as a user sets it up: a private git repository (served by the
 * test-kit remote, its password is the repository's `githubToken`), a parameter set holding the
 * canary, and a GitHub webhook whose deliveries the test signs.
 */
export class Project {
  private constructor(
    readonly api: ApiClient,
    readonly git: RemoteRepository,
    readonly secrets: ProjectSecrets,
    readonly webhookId: string,
    private readonly webhookSecret: string,
    private readonly sign: SignDelivery,
  ) {}

  static async create(
    api: ApiClient,
    tools: { createRepository: CreateRepository; sign: SignDelivery },
  ): Promise<Project> {
    const secrets: ProjectSecrets = {
      canary: `cAnAry-${randomBytes(6).toString('hex')}/+=?&`,
      githubToken: `ghp_${randomBytes(12).toString('hex')}`,
    };
    const git = await tools.createRepository(`${repoName}-${randomBytes(3).toString('hex')}`, {
      username: 'x-access-token',
      password: secrets.githubToken,
    });
    // A first commit on the default branch, so HEAD of the remote resolves (as on GitHub).
    await git.commit({ 'README.md': '# web\n' }, { message: 'Initial commit', branch: 'main' });
    await api.ok('POST', '/v1/orgs', { slug: org });
    await api.ok('POST', `/v1/orgs/${org}/repos`, {
      name: repoName,
      url: git.url,
      mainBranch: 'main',
      githubRepo,
      githubToken: secrets.githubToken,
    });
    await api.ok('POST', `/v1/orgs/${org}/params`, {
      description: 'e2e secrets',
      values: [{ name: 'CANARY', value: secrets.canary }],
    });
    const webhook = await api.ok<{ id: string; secret: string }>(
      'POST',
      `/v1/orgs/${org}/repos/${repoName}/webhooks`,
    );
    return new Project(api, git, secrets, webhook.id, webhook.secret, tools.sign);
  }

  get repoPath(): string {
    return `/v1/orgs/${org}/repos/${repoName}`;
  }

  /** Commits `.gibbon/build.ts` on `branch` of the remote and returns the commit. */
  commitScript(
    branch: string,
    script: string,
    message = `ci: ${branch} pipeline`,
  ): Promise<string> {
    return this.git.commit(
      { '.gibbon/build.ts': script, 'README.md': `# ${branch}\n` },
      { message, branch },
    );
  }

  /** A signed `push` delivery for `branch` at `sha`, as GitHub sends it. */
  deliverPush(
    branch: string,
    sha: string,
    message = `ci: ${branch} pipeline`,
  ): Promise<Answer<{ build: Build | null }>> {
    return this.deliver('push', pushPayload(sha, branch, message, ['.gibbon/build.ts']));
  }

  /**
   * A signed `pull_request` `opened` from a fork. GitHub keeps `refs/pull/{n}/head` in the base
   * repository, so the test puts that ref on the remote first.
   */
  async deliverForkPullRequest(
    number: number,
    sha: string,
  ): Promise<Answer<{ build: Build | null }>> {
    await this.putPullRef(number, sha);
    const side = (ref: string, repo: { id: number; full_name: string }) => ({ ref, sha, repo });
    return this.deliver('pull_request', {
      action: 'opened',
      number,
      pull_request: {
        title: 'Improve things (from a fork)',
        head: side('patch-1', { id: 777, full_name: 'stranger/web' }),
        base: side('main', { id: 4242, full_name: githubRepo }),
      },
      repository: { id: 4242, full_name: githubRepo },
    });
  }

  /**
   * A signed `pull_request` `opened` delivery of pull request `number` from `headBranch` of the
   * same repository into `baseBranch`: GitHub's captured payload (`@octokit/webhooks-examples`)
   * pointed at this project. `refs/pull/{n}/head` is put on the remote first, as GitHub does.
   */
  async deliverPullRequest(
    number: number,
    sha: string,
    sides: { headBranch: string; baseBranch: string; title: string },
  ): Promise<Answer<{ build: Build | null }>> {
    await this.putPullRef(number, sha);
    const [example] = loadWebhookExamples('pull_request', { action: 'opened' });
    const repository = { ...example!.payload.repository, id: 4242, full_name: githubRepo };
    const captured = example!.payload.pull_request;
    return this.deliver('pull_request', {
      ...example!.payload,
      number,
      repository,
      pull_request: {
        ...captured,
        number,
        title: sides.title,
        head: { ...captured.head, ref: sides.headBranch, sha, repo: repository },
        base: { ...captured.base, ref: sides.baseBranch, repo: repository },
      },
    });
  }

  trigger(branch: string): Promise<Build> {
    return this.api.ok<Build>('POST', `${this.repoPath}/builds`, { branch });
  }

  build(number: number): Promise<Build> {
    return this.api.ok<Build>('GET', `${this.repoPath}/builds/${number}`);
  }

  async jobLog(number: number, jobId: string): Promise<string> {
    const answer = await this.api.call(
      'GET',
      `${this.repoPath}/builds/${number}/jobs/${jobId}/logs`,
    );
    if (answer.status !== 200) throw new Error(`log of ${jobId}: ${answer.status} ${answer.text}`);
    return answer.text;
  }

  /** GitHub keeps `refs/pull/{n}/head` in the base repository, forks included. */
  private async putPullRef(number: number, sha: string): Promise<void> {
    await run('git', [
      '--git-dir',
      this.git.directory,
      'update-ref',
      `refs/pull/${number}/head`,
      sha,
    ]);
  }

  private async deliver(
    event: 'push' | 'pull_request',
    payload: Record<string, unknown>,
  ): Promise<Answer<{ build: Build | null }>> {
    const delivery = this.sign({ event, payload, secret: this.webhookSecret });
    const response = await fetch(`${this.api.baseUrl}/webhooks/github/${this.webhookId}`, {
      method: 'POST',
      headers: delivery.headers,
      body: delivery.body,
    });
    const text = await response.text();
    return { status: response.status, text, body: JSON.parse(text) as { build: Build | null } };
  }
}

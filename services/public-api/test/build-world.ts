import type { Build, Claim, Label } from '@gibbon/contracts';
import { githubDelivery, type GithubDeliveryInput } from '@gibbon/test-kit';
import { sql } from 'kysely';
import type { Answer, TestApp } from './harness';

/**
 * An org `acme` with a repository `web` and a GitHub webhook on it, plus helpers that drive
 * the build side over HTTP exactly as GitHub, a runner and a user would.
 */
export interface BuildWorld {
  readonly app: TestApp;
  readonly webhookId: string;
  readonly secret: string;
  deliver(
    input: Partial<GithubDeliveryInput>,
    tamper?: (body: string) => string | Buffer,
  ): Promise<Answer>;
  registerRunner(name: string): Promise<string>;
  claim(runnerToken: string, waitSeconds?: number): Promise<Answer & { claim?: Claim }>;
  /** Triggers a build, claims it and declares one pending container job `jobId` in it. */
  claimWithJob(runnerToken: string, jobId: string): Promise<Claim>;
  /** A runner call about the claimed build, with its build token and lease. */
  runner(
    claim: Claim,
    method: string,
    path: string,
    options?: { body?: unknown; rawBody?: string; headers?: Record<string, string> },
  ): Promise<Answer>;
  trigger(body?: Record<string, unknown>): Promise<Build>;
  /** Creates repository `name` of `acme` with `labels` (e.g. `runs-on`) and queues a build of it. */
  triggerInNewRepo(name: string, labels: readonly Label[]): Promise<Build>;
  getBuild(number: number): Promise<Build>;
  /** Rows of a table, counted in the database itself. */
  count(
    table: 'builds' | 'deliveries' | 'leases' | 'jobs' | 'log_chunks' | 'status_outbox',
  ): Promise<number>;
}

export async function createBuildWorld(
  app: TestApp,
  repo: { githubRepo?: string; githubToken?: string } = {},
): Promise<BuildWorld> {
  await app.services.orgs.create({ slug: 'acme' });
  await app.services.repos.create('acme', {
    name: 'web',
    url: 'https://git.example.test/acme/web.git',
    ...repo,
  });
  const created = await app.call('POST', '/v1/orgs/acme/repos/web/webhooks', {
    token: app.adminToken,
  });
  const { id: webhookId, secret } = created.body as { id: string; secret: string };
  const admin = app.adminToken;

  const world: BuildWorld = {
    app,
    webhookId,
    secret,
    deliver(input, tamper = (body) => body) {
      const delivery = githubDelivery({ event: 'push', payload: {}, secret, ...input });
      return app.call('POST', `/webhooks/github/${webhookId}`, {
        headers: delivery.headers,
        rawBody: tamper(delivery.body),
      });
    },
    async registerRunner(name) {
      return (await app.services.runners.register({ name })).token;
    },
    async claim(runnerToken, waitSeconds = 0) {
      const answer = await app.call('POST', `/v1/runner/claim?wait=${waitSeconds}`, {
        token: runnerToken,
        body: {},
      });
      return answer.status === 200 ? { ...answer, claim: answer.body as Claim } : answer;
    },
    async claimWithJob(runnerToken, jobId) {
      await world.trigger();
      const { claim } = await world.claim(runnerToken);
      if (!claim) throw new Error('expected a claim');
      await world.runner(claim, 'POST', '/events', {
        body: { type: 'job.pending', jobId, kind: 'container', dependsOn: [], at: nowIso() },
      });
      return claim;
    },
    runner(claim, method, path, options = {}) {
      return app.call(method, `/v1/runner/builds/${claim.build.id}${path}`, {
        token: claim.buildToken,
        ...options,
        headers: { 'x-gibbon-lease': claim.lease.id, ...options.headers },
      });
    },
    async trigger(body = { branch: 'main' }) {
      const answer = await app.call('POST', '/v1/orgs/acme/repos/web/builds', {
        token: admin,
        body,
      });
      if (answer.status !== 201) throw new Error(`trigger failed: ${answer.text}`);
      return answer.body as Build;
    },
    async triggerInNewRepo(name, labels) {
      const url = `https://git.example.test/acme/${name}.git`;
      await app.services.repos.create('acme', { name, url, labels: [...labels] });
      const answer = await app.call('POST', `/v1/orgs/acme/repos/${name}/builds`, {
        token: admin,
        body: { branch: 'main' },
      });
      if (answer.status !== 201) throw new Error(`trigger failed: ${answer.text}`);
      return answer.body as Build;
    },
    async getBuild(number) {
      const answer = await app.call('GET', `/v1/orgs/acme/repos/web/builds/${number}`, {
        token: admin,
      });
      if (answer.status !== 200) throw new Error(`get build failed: ${answer.text}`);
      return answer.body as Build;
    },
    async count(table) {
      const { rows } = await sql<{
        n: string | number;
      }>`select count(*) as n from ${sql.table(table)}`.execute(app.database.db);
      return Number(rows[0]?.n ?? 0);
    },
  };
  return world;
}

export function nowIso(): string {
  return new Date().toISOString();
}

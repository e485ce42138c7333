import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Build } from '@gibbon/contracts';
import {
  createTestDatabase,
  startRecordingServer,
  type RecordedRequest,
  type RecordingServer,
  type TestDatabase,
} from '@gibbon/test-kit';
import { adminCall, runBuild, startApiProcess, type ApiProcess } from './api-process';

// Issue #16 item 5: commit statuses wait in a durable outbox, so a public-api restart loses
// none, and several processes on one database send each once, in order, per commit.
const backends = [
  { name: 'sqlite', database: () => Promise.resolve(undefined) },
  { name: 'postgres', database: () => createTestDatabase() },
];
const githubToken = 'ghs_outbox_token_0123456789';
const commit = 'a'.repeat(40);
const statePath = (sha: string) => `/repos/acme/web/statuses/${sha}`;

describe.each(backends)('the commit status outbox on $name', (backend) => {
  let github: RecordingServer;
  let testDatabase: TestDatabase | undefined;
  const dataDirs: string[] = [];
  const processes: ApiProcess[] = [];
  const masterKey = randomBytes(32).toString('base64');

  beforeEach(async () => {
    github = await startRecordingServer();
    testDatabase = await backend.database();
  });
  afterEach(async () => {
    for (const api of processes.splice(0)) await api.stop();
    await github.close();
    await testDatabase?.drop();
    for (const dir of dataDirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  async function dataDir(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'gibbon-outbox-'));
    dataDirs.push(dir);
    return dir;
  }

  async function start(dir: string): Promise<ApiProcess> {
    const api = await startApiProcess({
      dataDir: dir,
      databaseUrl: testDatabase?.url,
      githubApiUrl: github.url,
      masterKey,
    });
    processes.push(api);
    return api;
  }

  async function stop(api: ApiProcess): Promise<void> {
    processes.splice(processes.indexOf(api), 1);
    await api.stop();
  }

  /** acme/web on GitHub's acme/web with a token, and a runner; returns the runner's token. */
  async function seed(api: ApiProcess, dir: string): Promise<string> {
    await adminCall(api, dir, 'POST', '/v1/orgs', { slug: 'acme' });
    await adminCall(api, dir, 'POST', '/v1/orgs/acme/repos', {
      name: 'web',
      url: 'https://git.example.test/acme/web.git',
      githubRepo: 'acme/web',
      githubToken,
    });
    const runner = await adminCall<{ token: string }>(api, dir, 'POST', '/v1/runners', {
      name: 'r1',
    });
    return runner.token;
  }

  const trigger = (api: ApiProcess, dir: string, sha: string) =>
    adminCall<Build>(api, dir, 'POST', '/v1/orgs/acme/repos/web/builds', { commit: sha });

  const described = (requests: readonly RecordedRequest[]) =>
    requests.map((request) => {
      const body = request.body as { state: string; description: string; target_url: string };
      return `${body.state} ${body.description} ${body.target_url}`;
    });

  it('survives a restart while GitHub fails the first 3 posts: each status arrives once, in order', async () => {
    github.route('POST /repos/:owner/:repo/statuses/:sha', (_request, { count }) =>
      count <= 3 ? { status: 503, body: {} } : { status: 201, body: {} },
    );
    const dir = await dataDir();
    const first = await start(dir);
    const runnerToken = await seed(first, dir);
    const build = await trigger(first, dir, commit);
    await runBuild(first, runnerToken, 'success');
    await github.waitForRequests(1);
    await stop(first);
    // The premise: stopped before any status got through (the first 3 answers are 503s).
    expect(github.requests.length).toBeLessThan(4);

    await start(dir);
    const link = `http://gibbon.test/orgs/acme/repos/web/builds/${build.number}`;
    const all = await github.waitForRequests(6, { timeoutMs: 25_000 });
    expect(described(all.slice(3))).toEqual([
      `pending The build is queued. ${link}`,
      `pending The build is running. ${link}`,
      `success The build succeeded. ${link}`,
    ]);
    expect(described(all.slice(0, 3))).toEqual(
      Array(3).fill(`pending The build is queued. ${link}`),
    );
    for (const request of all) {
      expect(request.path).toBe(statePath(commit));
      expect(request.headers.authorization).toBe(`Bearer ${githubToken}`);
    }
    // Nothing more comes: sent rows are gone from the outbox (a second poll finds none).
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(github.requests).toHaveLength(6);
  });

  it('does not retry a 4xx answer, and goes on with the next status', async () => {
    github.route('POST /repos/:owner/:repo/statuses/:sha', (_request, { count }) =>
      count === 1 ? { status: 422, body: {} } : { status: 201, body: {} },
    );
    const dir = await dataDir();
    const api = await start(dir);
    const runnerToken = await seed(api, dir);
    await trigger(api, dir, commit);
    await runBuild(api, runnerToken, 'failure');
    const all = await github.waitForRequests(3, { timeoutMs: 10_000 });
    expect(all.map((r) => (r.body as { description: string }).description)).toEqual([
      'The build is queued.',
      'The build is running.',
      'The build failed.',
    ]);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(github.requests).toHaveLength(3);
    const givenUp = api.logLines.filter((line) => line.includes('Commit status not sent'));
    expect(givenUp).toHaveLength(1);
    expect(givenUp[0]).toContain('GitHub answered 422');
    expect(api.logLines.join('\n')).not.toContain(githubToken);
  });

  if (backend.name === 'postgres') {
    it('two processes on one database send every status once, in order per commit', async () => {
      github.route('POST /repos/:owner/:repo/statuses/:sha', async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        return { status: 201, body: {} };
      });
      const firstDir = await dataDir();
      const one = await start(firstDir);
      const runnerToken = await seed(one, firstDir);
      const two = await start(await dataDir());
      const commits = ['b', 'c', 'd'].map((c) => c.repeat(40));
      const builds: Build[] = [];
      for (let round = 0; round < 3; round += 1) {
        for (const sha of commits) builds.push(await trigger(one, firstDir, sha));
      }
      // Claimed and finished through the other process: both hubs and both senders take part.
      for (let left = builds.length; left > 0; left -= 1) {
        await runBuild(two, runnerToken, 'success');
      }
      const all = await github.waitForRequests(builds.length * 3, { timeoutMs: 25_000 });
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      expect(github.requests).toHaveLength(builds.length * 3);
      expect(new Set(described(all)).size).toBe(all.length);
      for (const sha of commits) {
        const ofCommit = described(all.filter((r) => r.path === statePath(sha)));
        const expected = builds
          .filter((b) => b.git.commit === sha)
          .flatMap((b) => {
            const link = `http://gibbon.test/orgs/acme/repos/web/builds/${b.number}`;
            return [`pending The build is queued. ${link}`];
          });
        expect(ofCommit.filter((line) => line.includes('queued'))).toEqual(expected);
        // Each build's own states arrive queued, running, succeeded.
        for (const b of builds.filter((each) => each.git.commit === sha)) {
          const link = `http://gibbon.test/orgs/acme/repos/web/builds/${b.number}`;
          expect(ofCommit.filter((line) => line.endsWith(` ${link}`))).toEqual([
            `pending The build is queued. ${link}`,
            `pending The build is running. ${link}`,
            `success The build succeeded. ${link}`,
          ]);
        }
      }
    });
  }
});

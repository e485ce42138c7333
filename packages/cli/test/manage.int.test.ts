import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Build, RunnerList, TokenList } from '@gibbon/contracts';
import { runCliProcess, startCli, waitForOutput } from './cli-process';
import { startPublicApi, type PublicApiProcess } from './public-api-process';

// The commands that cover the rest of the public API (orgs, repos, webhooks, tokens, runners,
// one build, retry, trigger --wait, artifacts), each run as a user runs it, against a real
// public-api. No runner is registered, so builds stay queued until the test cancels them.
describe('management and build commands against a real public-api', () => {
  let api: PublicApiProcess;
  let env: Record<string, string>;
  let cwd: string;
  const gibbon = (args: string[], extra: Record<string, string> = {}) =>
    runCliProcess(args, { cwd, env: { ...env, ...extra } });

  beforeAll(async () => {
    api = await startPublicApi();
    env = { GIBBON_SERVER_URL: api.url, GIBBON_TOKEN: api.adminToken };
    cwd = await mkdtemp(join(tmpdir(), 'gibbon-cli-manage-'));
  }, 60_000);

  afterAll(async () => {
    await api?.stop();
    await rm(cwd, { recursive: true, force: true });
  });

  it('gibbon orgs creates an organisation and lists it', async () => {
    const created = await gibbon(['orgs', 'create', 'umbrella', '--name', 'Umbrella Corp']);
    expect(created).toMatchObject({ code: 0, stdout: 'Created organisation umbrella\n' });
    const listed = await gibbon(['orgs']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^ORG +NAME$/m);
    expect(listed.stdout).toMatch(/^umbrella +Umbrella Corp$/m);
    const again = await gibbon(['orgs', 'create', 'umbrella']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(
      /^gibbon orgs: Creating organisation umbrella: .+ \(409 conflict\)$/m,
    );
  }, 30_000);

  it('gibbon repos creates, lists, makes a webhook for and deletes a repository', async () => {
    const created = await gibbon([
      'repos',
      'create',
      'labs',
      '--org',
      'umbrella',
      '--url',
      'https://git.example.test/umbrella/labs.git',
      '--main-branch',
      'trunk',
    ]);
    expect(created).toMatchObject({
      code: 0,
      stdout: 'Created repository umbrella/labs (https://git.example.test/umbrella/labs.git)\n',
    });
    const listed = await gibbon(['repos', '--org', 'umbrella']);
    expect(listed.stdout).toMatch(/^umbrella\/labs +trunk +https:\/\/git\.example\.test/m);
    const webhook = await gibbon(['repos', 'webhook', 'umbrella/labs']);
    expect(webhook.code).toBe(0);
    expect(webhook.stdout).toMatch(/^Payload URL: http\S+\/webhooks\/github\/\S+$/m);
    expect(webhook.stdout).toMatch(/^Secret, shown only now: [0-9a-f]{64}$/m);
    const deleted = await gibbon(['repos', 'delete', 'umbrella/labs']);
    expect(deleted).toMatchObject({ code: 0, stdout: 'Deleted repository umbrella/labs\n' });
    const gone = await gibbon(['repos', 'delete', 'umbrella/labs']);
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain('(404 not_found)');
  }, 30_000);

  it('gibbon tokens creates a read token whose secret is shown once, lists and revokes it', async () => {
    const created = await gibbon(['tokens', 'create', 'ci-reader', '--org', 'umbrella']);
    expect(created.code).toBe(0);
    const secret = /^Its secret, shown only now: (\S+)$/m.exec(created.stdout)?.[1];
    expect(secret).toMatch(/^gbn_org_/);
    const id = /^Created read token (\S+) \(ci-reader\) in umbrella\.$/m.exec(created.stdout)?.[1];
    expect(id).toBeDefined();

    // The read token sees the organisation and may change nothing.
    const asReader = { GIBBON_TOKEN: secret! };
    expect((await gibbon(['repos', '--org', 'umbrella'], asReader)).code).toBe(0);
    const refused = await gibbon(['tokens', 'create', 'sneaky', '--org', 'umbrella'], asReader);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('(403 not_allowed)');

    const listed = await gibbon(['tokens', '--org', 'umbrella', '--json']);
    const tokens = JSON.parse(listed.stdout) as TokenList;
    expect(tokens.items).toEqual([
      expect.objectContaining({ id, name: 'ci-reader', role: 'read' }),
    ]);
    expect(listed.stdout).not.toContain(secret);
    expect(await gibbon(['tokens', 'revoke', id!, '--org', 'umbrella'])).toMatchObject({ code: 0 });
    const revoked = await gibbon(['repos', '--org', 'umbrella'], asReader);
    expect(revoked.code).toBe(2);
    expect(revoked.stderr).toContain('(401 unauthenticated)');
    expect(
      (await gibbon(['tokens', 'create', 'x', '--org', 'umbrella', '--role', 'owner'])).stderr,
    ).toContain('--role must be admin or read');
  }, 30_000);

  it('gibbon runners registers a runner with labels, prints its token once, lists, drains and deletes it', async () => {
    const created = await gibbon(['runners', 'create', 'gpu-1', '--label', 'runs-on=gpu']);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(
      /^Its token, shown only now \(GIBBON_RUNNER_TOKEN\): gbn_runner_\S+$/m,
    );
    const id = /^Registered runner (\S+) \(gpu-1\)\.$/m.exec(created.stdout)?.[1];
    const table = await gibbon(['runners']);
    expect(table.stdout).toMatch(new RegExp(`^${id} +gpu-1 +runs-on=gpu +- +active +never$`, 'm'));
    expect((await gibbon(['runners', 'drain', id!])).stdout).toBe(
      `Draining runner ${id}: 0 build(s) to finish.\n`,
    );
    expect((await gibbon(['runners'])).stdout).toMatch(
      new RegExp(`^${id} +gpu-1 .* draining +never$`, 'm'),
    );
    expect(await gibbon(['runners', 'delete', id!])).toMatchObject({ code: 0 });
    const listed = JSON.parse((await gibbon(['runners', '--json'])).stdout) as RunnerList;
    expect(listed.items.map((runner) => runner.id)).not.toContain(id);
  }, 30_000);

  it('gibbon runners registration-token makes a one-time token with labels, lists and revokes it', async () => {
    const made = await gibbon([
      'runners',
      'registration-token',
      'create',
      '--label',
      'runs-on=gpu',
      '--expires-in',
      '2h',
      '--description',
      'instance i-7',
    ]);
    expect(made.code).toBe(0);
    const id = /^Made registration token (\S+), usable once until (\S+)\.$/m.exec(made.stdout);
    expect(Date.parse(id![2]!) - Date.now()).toBeGreaterThan(7100_000);
    expect(made.stdout).toMatch(
      /^The token, shown only now \(GIBBON_RUNNER_REGISTRATION_TOKEN\): gbn_registration_\S+$/m,
    );
    const table = await gibbon(['runners', 'registration-token']);
    expect(table.stdout).toMatch(
      new RegExp(`^${id![1]} +runs-on=gpu +\\S+ +unused +instance i-7$`, 'm'),
    );
    expect(await gibbon(['runners', 'registration-token', 'revoke', id![1]!])).toMatchObject({
      code: 0,
      stdout: `Revoked registration token ${id![1]}\n`,
    });
    expect((await gibbon(['runners', 'registration-token'])).stdout).toMatch(
      new RegExp(`^${id![1]} .* revoked +instance i-7$`, 'm'),
    );
    const bad = await gibbon(['runners', 'registration-token', 'create', '--expires-in', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('expected a duration such as 90s, 30m, 12h or 7d');
  }, 30_000);

  it('gibbon trigger --wait follows the build to its end and exits with its result; build, retry and artifacts show it', async () => {
    await gibbon([
      'repos',
      'create',
      'site',
      '--org',
      'umbrella',
      '--url',
      'https://git.example.test/umbrella/site.git',
    ]);
    const repo = ['--repo', 'umbrella/site'];
    const waiting = startCli(['trigger', ...repo, '--branch', 'main', '--wait'], { cwd, env });
    await waitForOutput(waiting.output, (text) => text.includes('Build #1 of umbrella/site'));
    const shown = await gibbon(['build', '1', ...repo]);
    expect(shown.code).toBe(0);
    expect(shown.stdout.split('\n').slice(0, 4)).toEqual([
      'Build #1 of umbrella/site (main): queued',
      // The build's web page, on the server's origin: what a person opens.
      `  page ${new URL(env.GIBBON_SERVER_URL!).origin}/orgs/umbrella/repos/site/builds/1`,
      '  commit: not known until a runner checks the branch out',
      '  (no jobs yet)',
    ]);
    // Nobody runs it; a cancel ends it, and the waiting trigger exits 1 saying so.
    const canceled = await api.call('POST', '/v1/orgs/umbrella/repos/site/builds/1/cancel');
    expect(canceled.status).toBe(200);
    const result = await waiting.result;
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^Build #1 of umbrella\/site \(main\): canceled$/m);

    const retried = await gibbon(['retry', '1', ...repo, '--json']);
    expect(retried.code).toBe(0);
    expect(JSON.parse(retried.stdout) as Build).toMatchObject({ number: 2, retryOf: 1 });
    // Build 1 declared no jobs: a re-run of its failed jobs only has nothing to reuse, and says so.
    const failedOnly = await gibbon(['retry', '1', '--failed', ...repo]);
    expect(failedOnly.code).toBe(2);
    expect(failedOnly.stderr).toContain('Build #1 has no jobs to reuse');
    expect(failedOnly.stderr).toContain('retry it without failed=true');
    const artifacts = await gibbon(['artifacts', '1', ...repo]);
    expect(artifacts).toMatchObject({ code: 0, stdout: 'ID  BYTES  CREATED\n' });
    const missing = await gibbon([
      'artifacts',
      '1',
      'download',
      'coverage',
      ...repo,
      '-o',
      join(cwd, 'c.tgz'),
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('(404 not_found)');
    await expect(readFile(join(cwd, 'c.tgz'))).rejects.toThrow();
  }, 60_000);

  it('gibbon audit pages through who changed what in the organisation, newest first', async () => {
    const first = await gibbon(['audit', 'umbrella', '--limit', '2']);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^AT +WHO +ACTION +OBJECT$/m);
    const lines = first.stdout.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/^\S+Z +admin \(admin\) +\S+/);
    const cursor = /^Older entries: --cursor (\S+)$/m.exec(first.stdout)?.[1];
    expect(cursor).toBeDefined();
    const all = await gibbon(['audit', 'umbrella', '--limit', '100', '--json']);
    const actions = (JSON.parse(all.stdout) as { items: { action: string }[] }).items.map(
      (entry) => entry.action,
    );
    expect(actions.slice().reverse().slice(0, 3)).toEqual([
      'repo.created',
      'webhook.created',
      'repo.deleted',
    ]);
    const next = await gibbon(['audit', 'umbrella', '--limit', '2', '--cursor', cursor!, '--json']);
    const page = JSON.parse(next.stdout) as { items: { action: string }[] };
    expect(page.items.map((entry) => entry.action)).toEqual(actions.slice(2, 4));
    const usage = await gibbon(['audit']);
    expect(usage.code).toBe(2);
  }, 30_000);

  it('lists every command in gibbon --help', async () => {
    const help = await gibbon(['--help']);
    for (const name of [
      'orgs',
      'repos',
      'build',
      'retry',
      'artifacts',
      'tokens',
      'runners',
      'audit',
    ]) {
      expect(help.stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
    }
  }, 30_000);
});

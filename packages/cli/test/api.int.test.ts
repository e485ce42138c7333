import { tmpdir } from 'node:os';
import { startRecordingServer, unusedPort, type RecordingServer } from '@gibbon/test-kit';
import type { Build, KeyStatus } from '@gibbon/contracts';
import { runCliProcess, startCli, waitForOutput } from './cli-process';
import { startPublicApi, type PublicApiProcess } from './public-api-process';

const cwd = tmpdir();

describe('API commands against a real public-api', () => {
  let api: PublicApiProcess;
  let env: Record<string, string>;

  beforeAll(async () => {
    api = await startPublicApi();
    env = { GIBBON_SERVER_URL: api.url, GIBBON_TOKEN: api.adminToken };
    const org = await api.call('POST', '/v1/orgs', { slug: 'acme', name: 'Acme' });
    expect({ status: org.status, body: await org.text() }).toMatchObject({ status: 201 });
    const repo = { name: 'widgets', url: 'https://git.example.test/acme/widgets.git' };
    const created = await api.call('POST', '/v1/orgs/acme/repos', repo);
    expect({ status: created.status, body: await created.text() }).toMatchObject({ status: 201 });
  }, 60_000);

  afterAll(async () => {
    await api?.stop();
  });

  it('gibbon repos prints a table, and --json the API document', async () => {
    const table = await runCliProcess(['repos'], { cwd, env });
    expect(table).toMatchObject({ code: 0, stderr: '' });
    expect(table.stdout.split('\n')).toEqual([
      'REPO          MAIN  URL',
      'acme/widgets  main  https://git.example.test/acme/widgets.git',
      '',
    ]);
    const json = await runCliProcess(['repos', '--org', 'acme', '--json'], { cwd, env });
    expect(JSON.parse(json.stdout)).toMatchObject({ items: [{ org: 'acme', name: 'widgets' }] });
  }, 30_000);

  it('gibbon params creates a set and lists its names, never its values', async () => {
    const created = await runCliProcess(
      ['params', 'create', '--org', 'acme', '--description', 'npm', 'NPM_TOKEN=tok-123456'],
      { cwd, env },
    );
    expect(created).toMatchObject({ code: 0 });
    expect(created.stdout).toMatch(/^Created parameter set \S+ with NPM_TOKEN$/m);
    const listed = await runCliProcess(['params', '--org', 'acme'], { cwd, env });
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^ID +DESCRIPTION +NAMES$/m);
    expect(listed.stdout).toMatch(/ npm +NPM_TOKEN$/m);
    expect(listed.stdout).not.toContain('tok-123456');
  }, 30_000);

  it('gibbon params takes values from a pipe with --from-file -, never echoing them', async () => {
    const piped = await runCliProcess(
      ['params', 'create', '--org', 'acme', '--description', 'piped', '--from-file', '-'],
      { cwd, env, input: 'PIPED_TOKEN=pipe-secret-98765\nOTHER="two words"\n' },
    );
    expect(piped).toMatchObject({ code: 0 });
    expect(piped.stdout).toMatch(/^Created parameter set \S+ with OTHER, PIPED_TOKEN$/m);
    const asJson = await runCliProcess(
      ['params', 'create', '--org', 'acme', '--description', 'piped json', '--from-file', '-'],
      { cwd, env, input: '{"JSON_TOKEN": "json-secret-13579"}' },
    );
    expect(asJson.stdout).toMatch(/ with JSON_TOKEN$/m);
    const listed = await runCliProcess(['params', '--org', 'acme'], { cwd, env });
    expect(listed.stdout).toMatch(/ piped +OTHER, PIPED_TOKEN$/m);
    const empty = await runCliProcess(['params', 'create', '--org', 'acme', '--from-file', '-'], {
      cwd,
      env,
      input: 'not a line of .env\n',
    });
    expect(empty.code).toBe(2);
    for (const output of [piped, asJson, listed, empty]) {
      expect(output.stdout + output.stderr).not.toMatch(/pipe-secret|json-secret/);
    }
  }, 30_000);

  it('gibbon admin rotate-keys rotates the signing key and the master key; admin keys shows them', async () => {
    const before = await runCliProcess(['admin', 'keys', '--json'], { cwd, env });
    expect(before.code).toBe(0);
    const oldKeys = JSON.parse(before.stdout) as KeyStatus;
    expect(oldKeys.masterKey.source).toBe('file');

    const rotated = await runCliProcess(['admin', 'rotate-keys'], { cwd, env });
    expect(rotated).toMatchObject({ code: 0, stderr: '' });
    const lines = rotated.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Signing key: key_[0-9a-f]{24} signs build tokens from now on\.$/);
    const masterLine = lines.find((line) => line.startsWith('Master key:'));
    expect(masterLine).toMatch(
      /^Master key: every stored key is wrapped by mk_[0-9a-f]{16} now \(1 data key and \d+ signing keys? re-wrapped\)\.$/,
    );
    expect(rotated.stdout).toContain(
      `  The old key (${oldKeys.masterKey.keyId}) is gone: master.key holds the new one. Back it up.`,
    );

    const after = JSON.parse(
      (await runCliProcess(['admin', 'keys', '--json'], { cwd, env })).stdout,
    ) as KeyStatus;
    expect(after.masterKey.keyId).not.toBe(oldKeys.masterKey.keyId);
    expect(after.masterKey.wrapped.map((count) => count.masterKeyId)).toEqual([
      after.masterKey.keyId,
    ]);
    expect(after.signingKeys[0]).toMatchObject({ signs: true, retiresAt: null });
    const table = await runCliProcess(['admin', 'keys'], { cwd, env });
    expect(table.stdout).toMatch(/^MASTER KEY +DATA KEYS +SIGNING KEYS$/m);
    expect(table.stdout).toMatch(/^SIGNING KEY +USE +CREATED +RETIRES$/m);

    const orgToken = await runCliProcess(['admin', 'keys'], {
      cwd,
      env: { ...env, GIBBON_TOKEN: 'gbn_org_' + 'a'.repeat(43) },
    });
    expect(orgToken.code).toBe(2);
    expect(orgToken.stderr).toMatch(
      /^gibbon admin: Reading the key state: .+ \(401 unauthenticated\)$/m,
    );
    const both = await runCliProcess(['admin', 'rotate-keys', '--signing', '--master'], {
      cwd,
      env,
    });
    expect(both).toMatchObject({ code: 2 });
    expect(both.stderr).toContain('Give at most one of --signing and --master');
  }, 60_000);

  it('shows the API error body for a bad token and an unknown org (exit 2)', async () => {
    const badToken = await runCliProcess(['repos', '--org', 'acme'], {
      cwd,
      env: { ...env, GIBBON_TOKEN: 'not-a-token' },
    });
    expect(badToken.code).toBe(2);
    expect(badToken.stderr).toMatch(
      /^gibbon repos: Listing the repositories of acme: .+ \(401 unauthenticated\)$/m,
    );
    const unknown = await runCliProcess(['repos', '--org', 'nope'], { cwd, env });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/\(404 not_found\)/);
  }, 30_000);
});

describe('API commands without a server', () => {
  it('says which variables to set, and when the server is unreachable', async () => {
    const unset = await runCliProcess(['repos'], {
      cwd,
      env: { GIBBON_SERVER_URL: '', GIBBON_TOKEN: '' },
    });
    expect(unset.code).toBe(2);
    expect(unset.stderr).toContain('Set GIBBON_SERVER_URL');
    const port = await unusedPort();
    const down = await runCliProcess(['builds', '--repo', 'acme/widgets'], {
      cwd,
      env: { GIBBON_SERVER_URL: `http://127.0.0.1:${port}`, GIBBON_TOKEN: 'x' },
    });
    expect(down.code).toBe(2);
    expect(down.stderr).toContain(
      `cannot reach the Gibbon server at http://127.0.0.1:${port} (ECONNREFUSED)`,
    );
  }, 30_000);
});

/** A build as the public-api document describes it (builds routes are not served yet). */
function contractBuild(number: number, status: Build['status']): Build {
  return {
    id: `b${number}`,
    number,
    org: 'acme',
    repo: 'widgets',
    status,
    source: 'api',
    trusted: true,
    git: {
      ref: 'refs/heads/main',
      branch: 'main',
      tag: null,
      commit: 'a'.repeat(40),
      message: 'Fix the \u001b[31mthing\nsecond line',
      author: { name: 'Ada', email: 'ada@example.test' },
      changedFiles: [],
      pullRequest: null,
    },
    createdAt: new Date(Date.now() - 120_000).toISOString(),
    startedAt: null,
    finishedAt: null,
    message: null,
    retryOf: null,
    jobs: [
      {
        id: 'test',
        kind: 'container',
        status: 'running',
        exitCode: null,
        startedAt: null,
        finishedAt: null,
        dependsOn: [],
        message: null,
      },
    ],
  };
}

describe('build commands against the documented contract (a recording server)', () => {
  let server: RecordingServer;
  let env: Record<string, string>;

  beforeAll(async () => {
    server = await startRecordingServer({
      routes: {
        'GET /v1/orgs/acme/repos/widgets/builds': () => ({
          status: 200,
          body: {
            items: [contractBuild(2, 'running'), contractBuild(1, 'success')],
            nextCursor: null,
          },
        }),
        'POST /v1/orgs/acme/repos/widgets/builds': () => ({
          status: 201,
          body: contractBuild(3, 'queued'),
        }),
        'POST /v1/orgs/acme/repos/widgets/builds/:number/cancel': ({ path }) => ({
          status: 200,
          body: { ...contractBuild(Number(path.split('/')[7]), 'canceled') },
        }),
        'POST /v1/orgs/acme/repos/widgets/builds/4/jobs/deploy/approve': () => ({
          status: 200,
          body: {
            ...contractBuild(4, 'running'),
            jobs: [
              {
                ...contractBuild(4, 'running').jobs[0]!,
                id: 'deploy',
                status: 'waiting',
                approval: {
                  decision: 'approved',
                  by: 'ops',
                  at: '2026-12-07T10:00:00.000Z',
                  comment: 'go',
                },
              },
            ],
          },
        }),
        'POST /v1/orgs/acme/repos/widgets/builds/4/jobs/deploy/reject': () => ({
          status: 409,
          body: {
            error: {
              code: 'conflict',
              message: 'Job "deploy" was already approved by ops at 2026-12-07T10:00:00.000Z.',
            },
          },
        }),
        'GET /v1/orgs/acme/repos/widgets/builds/9/jobs/:job/logs': () => ({
          status: 404,
          body: { error: { code: 'not_found', message: 'Build 9 does not exist.' } },
        }),
        'GET /v1/orgs/acme/repos/widgets/builds/:number/jobs/:job/logs': () => ({
          status: 200,
          body: '+ npm test\nok 1 works\n',
          headers: { 'content-type': 'text/plain' },
        }),
      },
    });
    env = {
      GIBBON_SERVER_URL: server.url,
      GIBBON_TOKEN: 'read-token',
      GIBBON_REPO: 'acme/widgets',
    };
  });

  afterAll(async () => {
    await server.close();
  });

  it('gibbon builds prints a table with control characters escaped', async () => {
    const result = await runCliProcess(['builds'], { cwd, env });
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^# +STATUS +REF +COMMIT +MESSAGE +CREATED$/);
    expect(lines[1]).toMatch(/^2 +running +main +aaaaaaa +Fix the \\u001b\[31mthing +2m ago$/);
    expect(lines[2]).toMatch(/^1 +success/);
    expect(server.requests.at(-1)?.headers.authorization).toBe('Bearer read-token');
  }, 30_000);

  it('gibbon trigger sends the contract body and prints the queued build', async () => {
    const result = await runCliProcess(['trigger', '--branch', 'main', '--param', 'LEVEL=3'], {
      cwd,
      env,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Build #3 of acme/widgets (main): queued');
    expect(server.requests.at(-1)?.body).toEqual({
      branch: 'main',
      params: [{ name: 'LEVEL', value: '3' }],
    });
  }, 30_000);

  it('gibbon cancel posts to the build and prints its status', async () => {
    const result = await runCliProcess(['cancel', '2'], { cwd, env });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Build #2 of acme/widgets (main): canceled');
    expect(server.requests.at(-1)).toMatchObject({
      method: 'POST',
      path: '/v1/orgs/acme/repos/widgets/builds/2/cancel',
    });
  }, 30_000);

  it('gibbon approve posts the comment and prints who approved; a second decision says why not', async () => {
    const approved = await runCliProcess(['approve', '4', 'deploy', '--comment', 'go'], {
      cwd,
      env,
    });
    expect(approved).toMatchObject({ code: 0, stderr: '' });
    expect(approved.stdout).toContain('  deploy: approved by ops at 2026-12-07T10:00:00.000Z: go');
    expect(server.requests.at(-1)).toMatchObject({
      method: 'POST',
      path: '/v1/orgs/acme/repos/widgets/builds/4/jobs/deploy/approve',
      body: { comment: 'go' },
    });
    const rejected = await runCliProcess(['reject', '4', 'deploy'], { cwd, env });
    expect(rejected.code).toBe(2);
    expect(rejected.stderr).toContain('was already approved by ops');
    expect(server.requests.at(-1)).toMatchObject({ body: {} });
  }, 30_000);

  it('gibbon logs prints the text, asks to follow with -f, and shows a 404 message', async () => {
    const result = await runCliProcess(['logs', '2', 'test', '-f'], { cwd, env });
    expect(result).toMatchObject({ code: 0, stdout: '+ npm test\nok 1 works\n' });
    expect(server.requests.at(-1)?.query.get('follow')).toBe('true');
    const missing = await runCliProcess(['logs', '9', 'test'], { cwd, env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Build 9 does not exist. (404 not_found)');
  }, 30_000);

  it('gibbon builds --follow prints each change until Ctrl-C, then exits 0', async () => {
    server.route('GET /v1/orgs/acme/repos/live/builds', (_request, { count }) => ({
      status: 200,
      body: {
        items:
          count === 1
            ? [contractBuild(1, 'running')]
            : [{ ...contractBuild(2, 'queued'), repo: 'live' }, contractBuild(1, 'success')],
        nextCursor: null,
      },
    }));
    const cli = startCli(['builds', '--follow', '--repo', 'acme/live'], { cwd, env });
    await waitForOutput(cli.output, (text) => text.includes('Build #2'), 20_000);
    process.kill(-cli.child.pid!, 'SIGINT');
    const result = await cli.result;
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n').filter((line) => line.startsWith('Build #'))).toEqual([
      'Build #1 of acme/widgets (main): running',
      'Build #1 of acme/widgets (main): success',
      'Build #2 of acme/live (main): queued',
    ]);
  }, 30_000);
});

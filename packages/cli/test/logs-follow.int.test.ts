import { tmpdir } from 'node:os';
import type { Claim, RunnerCreated } from '@gibbon/contracts';
import { startCli, waitForOutput } from './cli-process';
import { startPublicApi, type PublicApiProcess } from './public-api-process';

const cwd = tmpdir();

/** A build claimed by a runner this test plays over the runner API, with one running job. */
interface RunningJob {
  number: number;
  /** Stores the next numbered chunk of the job's log, as the runner does. */
  write(text: string): Promise<void>;
  end(): Promise<void>;
}

/** The answer, if its status is `status` (any 2xx without one). */
async function answered(response: Promise<Response>, status?: number): Promise<Response> {
  const answer = await response;
  if (status === undefined ? !answer.ok : answer.status !== status) {
    throw new Error(`expected ${status ?? '2xx'}, got ${answer.status}: ${await answer.text()}`);
  }
  return answer;
}

async function startJob(api: PublicApiProcess, jobId: string): Promise<RunningJob> {
  const runner = (await (
    await answered(api.call('POST', '/v1/runners', { name: `r-${jobId}` }), 201)
  ).json()) as RunnerCreated;
  await answered(api.call('POST', '/v1/orgs/acme/repos/widgets/builds', { branch: 'main' }), 201);
  const claimed = fetch(`${api.url}/v1/runner/claim?wait=0`, {
    method: 'POST',
    headers: { authorization: `Bearer ${runner.token}`, 'content-type': 'application/json' },
    body: '{}',
  });
  const claim = (await (await answered(claimed, 200)).json()) as Claim;
  // Through `api.url` on every call: the same address after a restart.
  const runnerCall = (method: string, path: string, body: string, type: string) =>
    answered(
      fetch(`${api.url}/v1/runner/builds/${claim.build.id}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${claim.buildToken}`,
          'x-gibbon-lease': claim.lease.id,
          'content-type': type,
        },
        body,
      }),
    );
  const event = (body: Record<string, unknown>) =>
    runnerCall(
      'POST',
      '/events',
      JSON.stringify({ ...body, jobId, at: new Date().toISOString() }),
      'application/json',
    );
  await event({ type: 'job.pending', kind: 'container', dependsOn: [] });
  let seq = 0;
  return {
    number: claim.build.number,
    async write(text) {
      await runnerCall('PUT', `/jobs/${jobId}/logs/${seq}`, text, 'text/plain');
      seq += 1;
    },
    async end() {
      await event({ type: 'job.ended', status: 'success', attempts: 1, exitCode: 0 });
    },
  };
}

const count = (text: string, part: string) => text.split(part).length - 1;

// Spec section 8: `gibbon logs BUILD JOB -f` follows a job's log through a server restart
// (and a crash) without losing or repeating a line, and ends with the job's last line.
describe('gibbon logs -f against a public-api that restarts', () => {
  let api: PublicApiProcess;
  let env: Record<string, string>;

  beforeAll(async () => {
    api = await startPublicApi();
    env = { GIBBON_SERVER_URL: api.url, GIBBON_TOKEN: api.adminToken, GIBBON_REPO: 'acme/widgets' };
    await answered(api.call('POST', '/v1/orgs', { slug: 'acme', name: 'Acme' }), 201);
    const repo = { name: 'widgets', url: 'https://git.example.test/acme/widgets.git' };
    await answered(api.call('POST', '/v1/orgs/acme/repos', repo), 201);
  }, 60_000);

  afterAll(async () => {
    await api?.stop();
  });

  it('prints the whole log once, across a stop and a crash, and exits 0 when the job ends', async () => {
    const job = await startJob(api, 'test');
    await job.write('line 1\n');
    const cli = startCli(['logs', String(job.number), 'test', '-f'], { cwd, env });
    await waitForOutput(cli.output, (text) => text.includes('line 1\n'));
    await job.write('line 2 ü\n');
    await waitForOutput(cli.output, (text) => text.includes('line 2 ü\n'));

    // An operator's restart: the follow is cut, the CLI waits for the server and goes on.
    await api.halt('SIGTERM');
    await waitForOutput(cli.output, (text) => text.includes('lost the server'));
    await api.resume();
    await job.write('line 3\n');
    await waitForOutput(cli.output, (text) => text.includes('line 3\n'));

    // A crash: the kernel closes the connection half-way through the answer.
    await api.halt('SIGKILL');
    await waitForOutput(cli.output, (text) => count(text, 'lost the server') === 2);
    await api.resume();
    await job.write('line 4\n');
    await job.write('last line\n');
    await job.end();

    const result = await cli.result;
    expect(result.stdout).toBe('line 1\nline 2 ü\nline 3\nline 4\nlast line\n');
    expect(result.code).toBe(0);
    const notes = result.stderr.trimEnd().split('\n');
    expect(notes).toHaveLength(4);
    expect(notes[0]).toMatch(
      /^gibbon logs: lost the server: the log's answer broke off \(.+\); reconnecting for up to 60 s \(Ctrl-C to stop\)\.$/,
    );
    expect(notes[1]).toMatch(/^gibbon logs: reconnected; the log goes on from byte 17\.$/);
    expect(notes[2]).toMatch(/^gibbon logs: lost the server: /);
    expect(notes[3]).toBe('gibbon logs: reconnected; the log goes on from byte 24.');
  }, 120_000);

  it('Ctrl-C ends it while it reconnects (exit 0); an answer such as 404 is not retried', async () => {
    const job = await startJob(api, 'interrupted');
    await job.write('before\n');
    const cli = startCli(['logs', String(job.number), 'interrupted', '-f'], { cwd, env });
    await waitForOutput(cli.output, (text) => text.includes('before\n'));
    await api.halt('SIGKILL');
    await waitForOutput(cli.output, (text) => text.includes('lost the server'));
    process.kill(-cli.child.pid!, 'SIGINT');
    expect(await cli.result).toMatchObject({ code: 0, stdout: 'before\n' });
    await api.resume();

    const missing = startCli(['logs', String(job.number + 100), 'interrupted', '-f'], {
      cwd,
      env,
    });
    const result = await missing.result;
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/\(404 not_found\)$/m);
    expect(result.stderr).not.toContain('lost the server');
  }, 60_000);

  it('gives up with a message a user can act on (exit 2) when the server stays away', async () => {
    const job = await startJob(api, 'lonely');
    await job.write('only line\n');
    const cli = startCli(['logs', String(job.number), 'lonely', '-f', '--reconnect-for', '2'], {
      cwd,
      env,
    });
    await waitForOutput(cli.output, (text) => text.includes('only line\n'));
    await api.halt('SIGTERM');
    await waitForOutput(cli.output, (text) => text.includes('lost the server'), 10_000);
    const lostAt = Date.now();
    const result = await cli.result;
    const waited = Date.now() - lostAt;
    await api.resume();

    expect(result.code).toBe(2);
    expect(result.stdout).toBe('only line\n');
    expect(result.stderr).toContain("gibbon logs: lost the server: the log's answer broke off");
    expect(result.stderr).toMatch(
      new RegExp(
        `^gibbon logs: Gave up following the log of job lonely of build ${job.number}: the server was not back within 2 s \\(last: .*cannot reach the Gibbon server at ${api.url} \\(ECONNREFUSED\\).*\\)\\. Once it runs again, print the whole log with gibbon logs \\(without -f\\), or follow it again with -f\\.$`,
        'm',
      ),
    );
    // Tries kept going for the whole time given (the last one at 2 s), and then stopped (the
    // line above is seen up to 0.1 s late).
    expect(waited).toBeGreaterThanOrEqual(1_800);
    expect(waited).toBeLessThan(3_400);
  }, 60_000);
});

import {
  AuthenticationError,
  ConflictError,
  InputError,
  UnavailableError,
} from '@gibbon/contracts';
import { startRecordingServer, unusedPort, type RecordingServer } from '@gibbon/test-kit';
import { claimFixture } from '../../test/claim-fixture';
import { RunnerApiClient } from './client';

const RUNNER_TOKEN = 'runner-secret-token-0123';
let server: RecordingServer;

beforeEach(async () => {
  server = await startRecordingServer();
});

afterEach(async () => {
  await server.close();
});

describe('RunnerApiClient', () => {
  it('claims with the runner token and the wait, and reads a 200 as the claim', async () => {
    const claim = claimFixture();
    server.route('POST /v1/runner/claim', () => ({ status: 200, body: claim }));
    const client = new RunnerApiClient(`${server.url}/`, RUNNER_TOKEN);

    await expect(client.claim({ waitSeconds: 5, capacity: 2 })).resolves.toEqual(claim);
    const [request] = server.requests;
    expect(request?.headers.authorization).toBe(`Bearer ${RUNNER_TOKEN}`);
    expect(request?.query.get('wait')).toBe('5');
    expect(request?.body).toEqual({
      capacity: 2,
      platform: { os: process.platform, arch: process.arch },
    });
  });

  it('reads a 204 as no build', async () => {
    server.route('POST /v1/runner/claim', () => ({ status: 204 }));
    const client = new RunnerApiClient(server.url, RUNNER_TOKEN);
    await expect(client.claim({ waitSeconds: 0, capacity: 1 })).resolves.toBeUndefined();
  });

  it('sends build calls with the build token and the lease header', async () => {
    const claim = claimFixture({ id: 'b7' });
    server.route('PUT /v1/runner/builds/b7/jobs/:job/logs/:seq', () => ({
      status: 200,
      body: { nextSeq: 4 },
    }));
    server.route('POST /v1/runner/builds/b7/heartbeat', () => ({
      status: 200,
      body: { leaseExpiresAt: '2030-01-01T00:00:00Z', cancel: true },
    }));
    const build = new RunnerApiClient(server.url, RUNNER_TOKEN).forBuild(claim);

    await expect(build.putLogChunk('test', 3, 'line one\n')).resolves.toBe(4);
    await expect(build.heartbeat()).resolves.toEqual({
      leaseExpiresAt: '2030-01-01T00:00:00Z',
      cancel: true,
    });
    const [chunk] = server.requests;
    expect(chunk?.path).toBe('/v1/runner/builds/b7/jobs/test/logs/3');
    expect(chunk?.rawBody).toBe('line one\n');
    expect(chunk?.headers['content-type']).toMatch(/^text\/plain/);
    expect(chunk?.headers.authorization).toBe('Bearer build-token-b7');
    expect(chunk?.headers['x-gibbon-lease']).toBe('lease-b7');
  });

  it('translates 409 into ConflictError (lease lost) with the server message', async () => {
    server.route('POST /v1/runner/builds/b1/heartbeat', () => ({
      status: 409,
      body: { error: { code: 'conflict', message: 'The lease lapsed.' } },
    }));
    const build = new RunnerApiClient(server.url, RUNNER_TOKEN).forBuild(claimFixture());
    const error = await build.heartbeat().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toBe('renew the lease: The lease lapsed. (409 conflict)');
  });

  it('translates other 4xx into their domain errors and 5xx into unavailable', async () => {
    server.route('POST /v1/runner/builds/b1/events', () => ({ status: 400, body: 'nope' }));
    server.route('POST /v1/runner/builds/b1/result', () => ({ status: 503, body: 'down' }));
    server.route('POST /v1/runner/claim', () => ({
      status: 401,
      body: { error: { code: 'unauthenticated', message: 'Bad token.' } },
    }));
    const client = new RunnerApiClient(server.url, RUNNER_TOKEN);
    const build = client.forBuild(claimFixture());
    const at = new Date().toISOString();

    await expect(build.postEvent({ type: 'job.queued', jobId: 'a', at })).rejects.toBeInstanceOf(
      InputError,
    );
    await expect(build.postResult({ status: 'success' })).rejects.toBeInstanceOf(UnavailableError);
    const denied = await client.claim({ waitSeconds: 0, capacity: 1 }).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(AuthenticationError);
    expect(String((denied as Error).message)).not.toContain(RUNNER_TOKEN);
  });

  it('reports a refused connection as unavailable, without the token', async () => {
    const client = new RunnerApiClient(`http://127.0.0.1:${await unusedPort()}`, RUNNER_TOKEN);
    const error = await client.claim({ waitSeconds: 0, capacity: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as Error).message).toMatch(/unreachable/);
    expect((error as Error).message).not.toContain(RUNNER_TOKEN);
  });
});

import { createServer, type Server, type AddressInfo } from 'node:net';
import { startRecordingServer, type CannedResponse, type RecordingServer } from '@gibbon/test-kit';
import { statusBodyOf, statusUrlOf, type CommitStatusUpdate } from './commit-status-update';
import { attemptStatus } from './status-delivery';
import { createFetchStatusTransport } from './status-transport';

// One attempt at a commit status over real HTTP; retries, order and restarts are the outbox's
// (test/status-outbox.int.test.ts).
const token = 'ghp_secretTokenThatMustNeverBeLogged0123';
const commit = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';
const statusPath = `/repos/acme/app/statuses/${commit}`;
const transport = createFetchStatusTransport();

let github: RecordingServer;
beforeEach(async () => {
  github = await startRecordingServer();
});
afterEach(async () => {
  await github.close();
});

function update(overrides: Partial<CommitStatusUpdate> = {}): CommitStatusUpdate {
  return {
    githubRepo: 'acme/app',
    commit,
    token,
    status: 'queued',
    targetUrl: 'http://gibbon.test/orgs/acme/repos/app/builds/7',
    ...overrides,
  };
}

function attempt(value: CommitStatusUpdate, apiUrl = github.url, via = transport) {
  return attemptStatus(via, {
    url: statusUrlOf(apiUrl, value),
    token: value.token,
    body: statusBodyOf(value),
    signal: new AbortController().signal,
  });
}

describe('one commit status attempt', () => {
  it('posts the status with the gibbon context, the link and the bearer token', async () => {
    expect(await attempt(update())).toEqual({ kind: 'delivered' });
    const [request] = github.requests;
    expect(github.requests).toHaveLength(1);
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe(statusPath);
    expect(request?.headers.authorization).toBe(`Bearer ${token}`);
    expect(request?.headers.accept).toBe('application/vnd.github+json');
    expect(request?.body).toEqual({
      state: 'pending',
      context: 'gibbon',
      target_url: 'http://gibbon.test/orgs/acme/repos/app/builds/7',
      description: 'The build is queued.',
    });
  });

  it('keeps the path of a GitHub Enterprise API URL and cuts the description', async () => {
    await attempt(update({ description: 'x'.repeat(200) }), `${github.url}/api/v3/`);
    expect(github.requests[0]?.path).toBe(`/api/v3${statusPath}`);
    expect((github.requests[0]?.body as { description: string }).description).toHaveLength(140);
  });

  it('gives up an answer that will not change (422), and retries 5xx, 429 and a rate-limited 403', async () => {
    const answers: CannedResponse[] = [
      { status: 422, body: {} },
      { status: 503, body: {} },
      { status: 429, body: {}, headers: { 'retry-after': '3' } },
      { status: 403, body: {}, headers: { 'x-ratelimit-remaining': '0' } },
    ];
    github.route(`POST ${statusPath}`, (_request, { count }) => answers[count - 1]!);
    expect(await attempt(update())).toEqual({
      kind: 'give-up',
      reason: 'GitHub answered 422; GitHub does not know the commit',
    });
    expect(await attempt(update())).toMatchObject({ kind: 'retry', reason: 'GitHub answered 503' });
    expect(await attempt(update())).toMatchObject({ kind: 'retry', retryAfterMs: 3000 });
    expect(await attempt(update())).toMatchObject({ kind: 'retry', reason: 'GitHub answered 403' });
  });

  it('retries a network error and names it without the token', async () => {
    const refusing = await startResettingServer();
    try {
      const verdict = await attempt(update(), refusing.url);
      expect(verdict.kind).toBe('retry');
      expect(JSON.stringify(verdict)).toMatch(/the request failed: /);
      expect(JSON.stringify(verdict)).not.toContain(token);
    } finally {
      await refusing.close();
    }
  });

  it('gives up waiting for an answer after the timeout, to be retried', async () => {
    github.route(`POST ${statusPath}`, () => new Promise<CannedResponse>(() => undefined));
    const verdict = await attempt(
      update(),
      github.url,
      createFetchStatusTransport({ timeoutMs: 100 }),
    );
    expect(verdict.kind).toBe('retry');
    expect(JSON.stringify(verdict)).toMatch(/the request failed: .*timeout/i);
  });
});

/** A TCP server that accepts and resets every connection: a real network error per attempt. */
async function startResettingServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((socket) => socket.resetAndDestroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

import { createServer, type Server, type AddressInfo } from 'node:net';
import {
  failFirst,
  type CannedResponse,
  startRecordingServer,
  type RecordedRequest,
  type RecordingServer,
} from '@gibbon/test-kit';
import { createMemoryLogger } from '../logger';
import {
  createCommitStatusNotifier,
  type CommitStatusNotifier,
  type CommitStatusNotifierOptions,
  type CommitStatusUpdate,
} from './commit-status';
import { createFetchStatusTransport } from './status-transport';

const token = 'ghp_secretTokenThatMustNeverBeLogged0123';
const commit = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';
const otherCommit = '6113728f27ae82c7b1a177c8d03f9e96e0adf246';
const statusPath = `/repos/acme/app/statuses/${commit}`;
const fastRetries = { maxAttempts: 4, initialDelayMs: 5, maxDelayMs: 20 };

let github: RecordingServer;
let logger: ReturnType<typeof createMemoryLogger>;
const notifiers: CommitStatusNotifier[] = [];

beforeEach(async () => {
  github = await startRecordingServer();
  logger = createMemoryLogger();
});

afterEach(async () => {
  await Promise.all(notifiers.splice(0).map((notifier) => notifier.close()));
  await github.close();
  // Whatever each test did, the token must not be in anything logged.
  expect(logger.lines.join('')).not.toContain(token);
});

function notifierFor(options: Partial<CommitStatusNotifierOptions> = {}): CommitStatusNotifier {
  const notifier = createCommitStatusNotifier({
    githubApiUrl: github.url,
    logger,
    retry: fastRetries,
    ...options,
  });
  notifiers.push(notifier);
  return notifier;
}

function update(overrides: Partial<CommitStatusUpdate> = {}): CommitStatusUpdate {
  return {
    githubRepo: 'acme/app',
    commit,
    token,
    status: 'queued',
    targetUrl: 'http://gibbon.test/v1/orgs/acme/repos/app/builds/7',
    ...overrides,
  };
}

function bodiesOf(requests: readonly RecordedRequest[]): unknown[] {
  return requests.map((request) => request.body);
}

function warnings(): Record<string, unknown>[] {
  return logger.lines
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line.level === 'warn');
}

describe('CommitStatusNotifier', () => {
  it('posts the status with the gibbon context, the link and the bearer token', async () => {
    const notifier = notifierFor();
    notifier.notify(update());
    await notifier.drain();
    const [request] = github.requests;
    expect(github.requests).toHaveLength(1);
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe(statusPath);
    expect(request?.headers.authorization).toBe(`Bearer ${token}`);
    expect(request?.headers.accept).toBe('application/vnd.github+json');
    expect(request?.body).toEqual({
      state: 'pending',
      context: 'gibbon',
      target_url: 'http://gibbon.test/v1/orgs/acme/repos/app/builds/7',
      description: 'The build is queued.',
    });
  });

  it('returns from notify before anything is sent', async () => {
    const notifier = notifierFor();
    notifier.notify(update());
    expect(github.requests).toHaveLength(0);
    await github.waitForRequests(1);
  });

  it('keeps the path of a GitHub Enterprise API URL', async () => {
    const notifier = notifierFor({ githubApiUrl: `${github.url}/api/v3/` });
    notifier.notify(update({ description: 'x'.repeat(200) }));
    await notifier.drain();
    expect(github.requests[0]?.path).toBe(`/api/v3${statusPath}`);
    expect((github.requests[0]?.body as { description: string }).description).toHaveLength(140);
  });

  it('sends the states of one commit in order, retrying after 500s before the next', async () => {
    github.route('POST /repos/:owner/:repo/statuses/:sha', failFirst(2));
    const notifier = notifierFor();
    notifier.notify(update({ status: 'queued' }));
    notifier.notify(update({ status: 'running' }));
    notifier.notify(update({ status: 'success' }));
    await notifier.drain();
    expect(bodiesOf(github.requests)).toMatchObject([
      { state: 'pending', description: 'The build is queued.' },
      { state: 'pending', description: 'The build is queued.' },
      { state: 'pending', description: 'The build is queued.' },
      { state: 'pending', description: 'The build is running.' },
      { state: 'success', description: 'The build succeeded.' },
    ]);
    expect(warnings().map((line) => line.reason)).toEqual([
      'GitHub answered 500',
      'GitHub answered 500',
    ]);
  });

  it('does not hold one commit back while another commit waits for GitHub', async () => {
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    github.route(`POST ${statusPath}`, async () => {
      await held;
      return { status: 201, body: {} };
    });
    const notifier = notifierFor();
    notifier.notify(update());
    notifier.notify(update({ status: 'running' }));
    notifier.notify(update({ commit: otherCommit, status: 'success' }));
    await github.waitForRequests(1, { filter: (request) => request.path === statusPath });
    const [other] = await github.waitForRequests(1, {
      filter: (request) => request.path.endsWith(otherCommit),
    });
    expect(other?.body).toMatchObject({ state: 'success' });
    // The first commit's second state waits behind its first, which GitHub still holds.
    expect(github.requests.filter((request) => request.path === statusPath)).toHaveLength(1);
    release();
    await notifier.drain();
    expect(bodiesOf(github.requests.filter((r) => r.path === statusPath))).toMatchObject([
      { description: 'The build is queued.' },
      { description: 'The build is running.' },
    ]);
  });

  it('gives a status up after maxAttempts and goes on with the next one', async () => {
    github.route('POST /repos/:owner/:repo/statuses/:sha', (_request, { count }) =>
      count <= 4 ? { status: 503, body: {} } : { status: 201, body: {} },
    );
    const notifier = notifierFor();
    notifier.notify(update({ status: 'running' }));
    notifier.notify(update({ status: 'failure' }));
    await notifier.drain();
    expect(bodiesOf(github.requests).map((body) => (body as { state: string }).state)).toEqual([
      'pending',
      'pending',
      'pending',
      'pending',
      'failure',
    ]);
    expect(warnings().at(-1)).toMatchObject({
      message: 'Commit status not sent after 4 attempts.',
      githubRepo: 'acme/app',
      commit,
      buildStatus: 'running',
    });
  });

  it('does not retry an answer that will not change (422)', async () => {
    github.route('POST /repos/:owner/:repo/statuses/:sha', () => ({ status: 422, body: {} }));
    const notifier = notifierFor();
    notifier.notify(update());
    await notifier.drain();
    expect(github.requests).toHaveLength(1);
    expect(warnings()).toMatchObject([
      { reason: 'GitHub answered 422; GitHub does not know the commit', attempt: 1 },
    ]);
  });

  it('retries a 429 and a rate-limited 403', async () => {
    github.route(
      'POST /repos/:owner/:repo/statuses/:sha',
      (_request, { count }): CannedResponse => {
        if (count === 1) return { status: 429, body: {}, headers: { 'retry-after': '0' } };
        if (count === 2)
          return { status: 403, body: {}, headers: { 'x-ratelimit-remaining': '0' } };
        return { status: 201, body: {} };
      },
    );
    const notifier = notifierFor();
    notifier.notify(update());
    await notifier.drain();
    expect(github.requests).toHaveLength(3);
  });

  it('retries network errors, and logs them without the token', async () => {
    const refusing = await startResettingServer();
    try {
      const notifier = notifierFor({ githubApiUrl: refusing.url });
      notifier.notify(update());
      await notifier.drain();
      expect(refusing.connections()).toBe(fastRetries.maxAttempts);
      expect(warnings()).toHaveLength(fastRetries.maxAttempts);
      expect(String(warnings()[0]?.reason)).toMatch(/^the request failed: /);
    } finally {
      await refusing.close();
    }
  });

  it('gives up waiting for an answer after the timeout, and retries', async () => {
    github.route('POST /repos/:owner/:repo/statuses/:sha', (_request, { count }) =>
      count === 1 ? new Promise<CannedResponse>(() => undefined) : { status: 201, body: {} },
    );
    const notifier = notifierFor({ transport: createFetchStatusTransport({ timeoutMs: 100 }) });
    notifier.notify(update());
    await notifier.drain();
    expect(github.requests).toHaveLength(2);
    expect(String(warnings()[0]?.reason)).toMatch(/^the request failed: .*timeout/i);
  });

  it('stops retrying at close, drops what is queued, and takes no more', async () => {
    github.route('POST /repos/:owner/:repo/statuses/:sha', () => ({ status: 500, body: {} }));
    const notifier = notifierFor({ retry: { initialDelayMs: 60_000, maxDelayMs: 60_000 } });
    notifier.notify(update({ status: 'running' }));
    notifier.notify(update({ status: 'success' }));
    await github.waitForRequests(1);
    const started = Date.now();
    await notifier.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    notifier.notify(update({ status: 'canceled' }));
    await notifier.close();
    expect(github.requests).toHaveLength(1);
    const dropped = warnings().filter((line) => String(line.message).includes('dropped'));
    expect(dropped.map((line) => line.buildStatus)).toEqual(['running', 'success', 'canceled']);
  });

  it.each([
    ['a repository that is not owner/name', { githubRepo: '../../user' }],
    ['a repository named ..', { githubRepo: 'acme/..' }],
    ['a short commit id', { commit: 'ec26c3e' }],
    ['a relative link', { targetUrl: '/builds/7' }],
  ])('drops %s with a warning instead of failing the caller', async (_case, overrides) => {
    const notifier = notifierFor();
    expect(() => notifier.notify(update(overrides))).not.toThrow();
    await notifier.drain();
    expect(github.requests).toHaveLength(0);
    expect(warnings().map((line) => line.message)).toEqual([
      expect.stringMatching(/^Commit status dropped; /),
    ]);
  });
});

/** A TCP server that accepts and resets every connection: a real network error per attempt. */
async function startResettingServer(): Promise<{
  url: string;
  connections(): number;
  close(): Promise<void>;
}> {
  let connections = 0;
  const server: Server = createServer((socket) => {
    connections += 1;
    socket.resetAndDestroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

import { failFirst, startRecordingServer, type RecordingServer } from './recording-server';

const servers: RecordingServer[] = [];

async function start(...args: Parameters<typeof startRecordingServer>): Promise<RecordingServer> {
  const server = await startRecordingServer(...args);
  servers.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

describe('startRecordingServer', () => {
  it('records method, path, query, headers and JSON body, and answers 201 {} by default', async () => {
    const server = await start();
    const before = Date.now();

    const response = await postJson(
      `${server.url}/repos/acme/app/statuses/abc123?x=1`,
      { state: 'pending', context: 'gibbon' },
      { authorization: 'Bearer t0ken' },
    );

    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({});
    expect(server.requests).toHaveLength(1);
    const [recorded] = server.requests;
    expect(recorded).toMatchObject({
      method: 'POST',
      path: '/repos/acme/app/statuses/abc123',
      body: { state: 'pending', context: 'gibbon' },
    });
    expect(recorded?.query.get('x')).toBe('1');
    expect(recorded?.headers.authorization).toBe('Bearer t0ken');
    expect(recorded?.receivedAt.getTime()).toBeGreaterThanOrEqual(before);
  });

  it('keeps a body that is not JSON as raw text', async () => {
    const server = await start();

    await fetch(server.url, { method: 'PUT', body: '{not json' });

    expect(server.requests[0]).toMatchObject({
      method: 'PUT',
      body: undefined,
      rawBody: '{not json',
    });
  });

  it('answers with a route handler, with params and a per-route count', async () => {
    const server = await start({
      routes: {
        'GET /repos/:owner/:repo': (_request, { params, count }) => ({
          status: 200,
          body: { full_name: `${params.owner}/${params.repo}`, count },
          headers: { 'x-ratelimit-remaining': '42' },
        }),
      },
    });

    const first = await fetch(`${server.url}/repos/acme/my%20app`);
    const second = await fetch(`${server.url}/repos/acme/other`);
    const unmatched = await fetch(`${server.url}/repos/acme/app/extra`);

    expect(first.status).toBe(200);
    expect(first.headers.get('x-ratelimit-remaining')).toBe('42');
    expect(await first.json()).toEqual({ full_name: 'acme/my app', count: 1 });
    expect(await second.json()).toEqual({ full_name: 'acme/other', count: 2 });
    expect(unmatched.status).toBe(201);
  });

  it('fails the first N requests with failFirst so retries can be tested', async () => {
    const server = await start();
    server.route(
      'POST /repos/:owner/:repo/statuses/:sha',
      failFirst(2, { status: 201, body: { id: 1 } }),
    );

    const statuses: number[] = [];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      statuses.push((await postJson(`${server.url}/repos/a/b/statuses/c`, {})).status);
    }

    expect(statuses).toEqual([500, 500, 201]);
    expect(server.requests).toHaveLength(3);
  });

  it('answers 500 when a route handler throws, and still records the request', async () => {
    const server = await start({
      routes: {
        '* /boom': () => {
          throw new Error('kaput');
        },
      },
    });

    const response = await fetch(`${server.url}/boom`, { method: 'DELETE' });

    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ message: 'route handler failed: Error: kaput' });
    expect(server.requests.map((r) => r.method)).toEqual(['DELETE']);
  });

  it('waits for requests that arrive later, with a filter', async () => {
    const server = await start();
    const waiting = server.waitForRequests(2, { filter: (r) => r.path.startsWith('/statuses') });

    const sending = new Promise((resolve) => setTimeout(resolve, 50)).then(() =>
      Promise.all([
        postJson(`${server.url}/other`, {}),
        postJson(`${server.url}/statuses/1`, { n: 1 }),
        postJson(`${server.url}/statuses/2`, { n: 2 }),
      ]),
    );

    const received = await waiting;
    await sending;
    expect(received.map((r) => r.path).sort()).toEqual(['/statuses/1', '/statuses/2']);
  });

  it('rejects waitForRequests on timeout, naming what did arrive', async () => {
    const server = await start();
    await fetch(`${server.url}/only-one`);

    await expect(server.waitForRequests(2, { timeoutMs: 100 })).rejects.toThrow(
      'Expected 2 request(s) within 100 ms; received: GET /only-one',
    );
  });

  it('rejects a malformed route', async () => {
    await expect(
      startRecordingServer({ routes: { 'repos/x': () => ({ status: 200 }) } }),
    ).rejects.toThrow('Invalid route');
  });

  it('stops accepting connections after close', async () => {
    const server = await start();
    await server.close();
    await server.close();

    await expect(fetch(server.url)).rejects.toThrow();
  });
});

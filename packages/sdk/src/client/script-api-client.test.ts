import { Readable } from 'node:stream';
import { AuthenticationError, InputError, UnprocessableError } from '@gibbon/contracts';
import { loadOpenApiDocument } from '@gibbon/contracts/documents';
import { testContext } from '../../test/context';
import { ScriptApiStandIn, openApiDocument, sendJson } from '../../test/script-api-server';
import { readApiConfig } from './config';
import { REQUIRED_OPERATIONS, missingOperations } from './operations';
import { connectScriptApi } from './script-api-client';

async function text(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const failedRun = {
  jobId: 'build',
  status: 'failure',
  exitCode: 2,
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: '2026-01-01T00:00:01.000Z',
  attempt: 1,
  message: 'exit code 2',
};

describe('readApiConfig', () => {
  it('names each missing variable', () => {
    expect(() => readApiConfig({})).toThrow(/^GIBBON_API_URL and GIBBON_API_TOKEN are not set/);
    expect(() => readApiConfig({ GIBBON_API_URL: 'unix:/tmp/a.sock' })).toThrow(
      /^GIBBON_API_TOKEN is not set/,
    );
    expect(() => readApiConfig({ GIBBON_API_TOKEN: 't' })).toThrow(InputError);
  });

  it('accepts a Unix socket or a loopback port and nothing else', () => {
    expect(
      readApiConfig({ GIBBON_API_URL: 'unix:/run/g/api.sock', GIBBON_API_TOKEN: 't' }).endpoint,
    ).toEqual({
      kind: 'unix',
      socketPath: '/run/g/api.sock',
    });
    expect(
      readApiConfig({ GIBBON_API_URL: 'http://127.0.0.1:4100', GIBBON_API_TOKEN: 't' }).endpoint,
    ).toEqual({
      kind: 'http',
      host: '127.0.0.1',
      port: 4100,
    });
    for (const bad of [
      'unix:relative.sock',
      'http://example.com:80',
      'https://127.0.0.1:1',
      'http://127.0.0.1',
      'nope',
    ]) {
      expect(() => readApiConfig({ GIBBON_API_URL: bad, GIBBON_API_TOKEN: 't' })).toThrow(
        /GIBBON_API_URL/,
      );
    }
  });
});

describe.each(['unix', 'http'] as const)('ScriptApiClient over %s', (kind) => {
  let api: ScriptApiStandIn;
  beforeEach(async () => {
    api = await ScriptApiStandIn.start(kind);
  });
  afterEach(() => api.close());

  it('fetches the OpenAPI document once and sends the token on every call', async () => {
    api.on('GET /v1/build', (_req, res) => sendJson(res, 200, testContext()));
    const client = await connectScriptApi(api.env);
    expect(await client.getBuild()).toEqual(testContext());
    await client.getBuild();
    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /v1/openapi.json',
      'GET /v1/build',
      'GET /v1/build',
    ]);
    expect(new Set(api.requests.map((r) => r.authorization))).toEqual(
      new Set(['Bearer test-token']),
    );
  });

  it('reads parameters: all of them, one, and a missing one as undefined', async () => {
    api.on('GET /v1/params', (_req, res) =>
      sendJson(res, 200, { values: [{ name: 'A', value: '1' }] }),
    );
    api.on('GET /v1/params/NPM_TOKEN', (_req, res) =>
      sendJson(res, 200, { name: 'NPM_TOKEN', value: 's3cret' }),
    );
    const client = await connectScriptApi(api.env);
    expect(await client.getParams()).toEqual({ A: '1' });
    expect(await client.getParam('NPM_TOKEN')).toBe('s3cret');
    expect(await client.getParam('OTHER')).toBeUndefined();
  });

  it('turns error answers into domain errors with the server message', async () => {
    api.on('POST /v1/masks', (_req, res) =>
      sendJson(res, 401, { error: { code: 'unauthenticated', message: 'token expired' } }),
    );
    api.on('POST /v1/events', (_req, res) => res.writeHead(500).end('boom'));
    const client = await connectScriptApi(api.env);
    const masked = client.addMask('abcd');
    await expect(masked).rejects.toThrow(AuthenticationError);
    await expect(masked).rejects.toThrow('POST /v1/masks: token expired (401 unauthenticated)');
    await expect(
      client.postEvent({
        type: 'job.started',
        jobId: 'a',
        attempt: 1,
        at: '2026-01-01T00:00:00.000Z',
      }),
    ).rejects.toThrow('POST /v1/events: the server answered 500: boom (500 internal)');
  });

  it('posts events, log lines and container runs as JSON', async () => {
    api.on('POST /v1/events', (_req, res) => res.writeHead(204).end());
    api.on('POST /v1/jobs/build/logs', (_req, res) => res.writeHead(204).end());
    api.on('POST /v1/jobs/build/run', (_req, res) => sendJson(res, 200, failedRun));
    const client = await connectScriptApi(api.env);
    await client.postEvent({
      type: 'job.started',
      jobId: 'build',
      attempt: 1,
      at: '2026-01-01T00:00:00.000Z',
    });
    await client.appendLogs('build', ['one', 'two']);
    const answer = await client.runContainerJob(
      'build',
      { id: 'build', image: 'alpine', command: ['false'], attempt: 1 },
      new AbortController().signal,
    );
    expect(answer).toEqual(failedRun);
    const bodies = api.requests.slice(1).map((r) => JSON.parse(r.body.toString()) as unknown);
    expect(bodies).toEqual([
      { type: 'job.started', jobId: 'build', attempt: 1, at: '2026-01-01T00:00:00.000Z' },
      { lines: ['one', 'two'] },
      { id: 'build', image: 'alpine', command: ['false'], attempt: 1 },
    ]);
  });

  it('closes a container run request when its signal aborts', async () => {
    let closed = false;
    api.on('POST /v1/jobs/slow/run', (_req, res) => {
      res.once('close', () => (closed = true));
    });
    const client = await connectScriptApi(api.env);
    const controller = new AbortController();
    const running = client.runContainerJob(
      'slow',
      { id: 'slow', image: 'alpine', command: ['sleep', '60'], attempt: 1 },
      controller.signal,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    await expect(running).rejects.toThrow(/abort/i);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed).toBe(true);
  });

  it('rejects an upload with the error of its failing body', async () => {
    api.on('PUT /v1/artifacts/broken', (_req, res) => res.writeHead(201).end('{}'));
    const client = await connectScriptApi(api.env);
    const failing = new Readable({
      read() {
        this.push(Buffer.from('partial'));
        this.destroy(new Error('tar failed to pack artifact "broken"'));
      },
    });
    await expect(client.uploadArtifact('broken', failing)).rejects.toThrow(
      /^tar failed to pack artifact "broken"$/,
    );
  });

  it('streams an artifact up and down', async () => {
    let stored: Buffer = Buffer.alloc(0);
    api.on('PUT /v1/artifacts/coverage', (req, res) => {
      stored = req.body;
      res.writeHead(204).end();
    });
    api.on('GET /v1/artifacts/coverage', (_req, res) =>
      res.writeHead(200, { 'content-type': 'application/gzip' }).end(stored),
    );
    const client = await connectScriptApi(api.env);
    await client.uploadArtifact(
      'coverage',
      Readable.from([Buffer.from('tar'), Buffer.from('.gz bytes')]),
    );
    expect(api.requests[1]?.contentType).toBe('application/gzip');
    expect(await text(await client.downloadArtifact('coverage'))).toBe('tar.gz bytes');
    await expect(client.downloadArtifact('nothing')).rejects.toThrow(/\(404 not_found\)/);
  });
});

describe('connectScriptApi', () => {
  it('finds every operation it needs in the Script API document of @gibbon/contracts', () => {
    expect(missingOperations(loadOpenApiDocument('script-api'))).toEqual([]);
  });

  it('refuses an API that lacks operations, naming them', async () => {
    const lacking = REQUIRED_OPERATIONS.filter(
      (op) => op.path !== '/v1/masks' && op.path !== '/v1/artifacts/{id}',
    );
    const api = await ScriptApiStandIn.start('unix', openApiDocument(lacking));
    try {
      const connecting = connectScriptApi(api.env);
      await expect(connecting).rejects.toThrow(UnprocessableError);
      await expect(connecting).rejects.toThrow(
        'lacks operations this SDK needs: POST /v1/masks, PUT /v1/artifacts/{id}, GET /v1/artifacts/{id}',
      );
    } finally {
      await api.close();
    }
  });

  it('accepts path parameters under other names', async () => {
    const renamed = REQUIRED_OPERATIONS.map((op) => ({
      ...op,
      path: op.path.replace('{jobId}', '{job}'),
    }));
    const api = await ScriptApiStandIn.start('unix', openApiDocument(renamed));
    await expect(connectScriptApi(api.env).finally(() => api.close())).resolves.toBeDefined();
  });

  it('says where the API was when it is unreachable', async () => {
    const env = { GIBBON_API_URL: 'unix:/nonexistent/gibbon/api.sock', GIBBON_API_TOKEN: 't' };
    await expect(connectScriptApi(env)).rejects.toThrow(
      /^GET \/v1\/openapi.json: the Script API at unix:\/nonexistent\/gibbon\/api.sock is unreachable \(connect ENOENT/,
    );
  });
});

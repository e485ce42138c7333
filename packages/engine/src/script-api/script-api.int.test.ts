import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import jwt from 'jsonwebtoken';
import { LocalDiskBlobStore } from '@gibbon/storage';
import { dockerClient, ensureTestImage } from '@gibbon/test-kit';
import { testBuildContext } from '../../test/build-context';
import { httpCall, type HttpAnswer } from '../../test/http-call';
import { testApiSettings } from '../../test/script-api-settings';
import { DockerBackend } from '../containers/docker/docker-backend';
import { reapContainers } from '../containers/docker/reap';
import { defaultContainerConfig } from '../containers/types';
import type { ScriptEvent } from '@gibbon/contracts';
import { MemoryLogSink } from '../logs/log-sink';
import { Masker } from '../masking/masker';
import { openScriptApi, type OpenScriptApi } from './open-script-api';
import { StaticParamProvider } from './params';
import { ScriptTokenKey } from './token';

const docker = dockerClient();
const runnerId = `script-api-test-${process.pid}`;
const backend = new DockerBackend(docker, {
  ...defaultContainerConfig,
  runnerId,
  network: 'none',
  stopGraceSeconds: 1,
});
let image: string;
let folder: string;
let store: LocalDiskBlobStore;
const open: OpenScriptApi[] = [];

beforeAll(async () => {
  image = await ensureTestImage();
}, 120_000);

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'gibbon-script-api-'));
  store = new LocalDiskBlobStore({ root: join(folder, 'store') });
  await store.open();
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((api) => api.close()));
  await store.close();
  await rm(folder, { recursive: true, force: true });
});

afterAll(async () => {
  await reapContainers(docker, { runner: runnerId });
});

const defaultParams = { NPM_TOKEN: 'npm-secret-value', REGION: 'eu-west-1' };

async function start(trusted = true, params: Record<string, string> = defaultParams) {
  const masker = new Masker();
  const sink = new MemoryLogSink();
  const events: ScriptEvent[] = [];
  const api = await openScriptApi({
    onEvent: (event) => events.push(event),
    context: testBuildContext({ trusted }),
    checkoutDir: folder,
    masker,
    params: new StaticParamProvider(params),
    logSink: sink,
    backend,
    store,
    ...testApiSettings(),
  });
  open.push(api);
  const call = (method: string, path: string, body?: unknown) =>
    httpCall(api.url, method, path, { token: api.token, body });
  return { api, masker, sink, events, call };
}

/** A value of `length` characters, as a long token or certificate bundle might be. */
function longValue(length: number): string {
  return Array.from({ length }, (_, at) => 'Ab3-x_9Qz'[(at * 7) % 9]).join('');
}

describe('Script API server', () => {
  it('listens on a socket in a folder only this user can enter, and serves its document openly', async () => {
    const { api } = await start();
    expect(api.url).toMatch(/^unix:\//);
    const mode = (await stat(dirname(api.url.slice(5)))).mode & 0o777;
    expect(mode).toBe(0o700);
    const answer = await httpCall(api.url, 'GET', '/v1/openapi.json');
    expect(answer.status).toBe(200);
    expect(answer.json<{ paths: object }>().paths).toHaveProperty(['/v1/jobs/{jobId}/run']);
  });

  it('refuses calls without a token, with a foreign, tampered or wrong-type token', async () => {
    const { api } = await start();
    const foreign = new ScriptTokenKey('build-1').issue(['getBuildContext'], 60);
    const claims = jwt.decode(api.token) as { scope: string[] };
    const wrongType = jwt.sign({ typ: 'build', scope: claims.scope }, 'x', { subject: 'build-1' });
    for (const token of [undefined, foreign, wrongType, `${api.token}x`]) {
      const answer = await httpCall(api.url, 'GET', '/v1/build', { token });
      expect(answer.status).toBe(401);
      expect(answer.json()).toMatchObject({ error: { code: 'unauthenticated' } });
    }
  });

  it('refuses an operation outside the token’s scope with 403', async () => {
    // An untrusted build's token lacks putCache.
    const untrusted = await start(false);
    const answer = await httpCall(untrusted.api.url, 'PUT', '/v1/caches/npm', {
      token: untrusted.api.token,
      raw: Buffer.from('x'),
      contentType: 'application/gzip',
    });
    expect(answer.status).toBe(403);
    expect(answer.json()).toMatchObject({ error: { code: 'not_allowed' } });
  });

  it('serves the build context and parameters, masking every value handed out', async () => {
    const { call, masker } = await start();
    expect((await call('GET', '/v1/build')).json()).toMatchObject({ build: { id: 'build-1' } });
    expect(masker.mask('npm-secret-value')).toBe('npm-secret-value');
    const list = await call('GET', '/v1/params');
    expect(list.json()).toEqual({
      values: [
        { name: 'NPM_TOKEN', value: 'npm-secret-value' },
        { name: 'REGION', value: 'eu-west-1' },
      ],
    });
    expect(masker.mask('x npm-secret-value eu-west-1')).toBe('x *** ***');
    expect((await call('GET', '/v1/params/NOPE')).status).toBe(404);
    expect((await call('GET', '/v1/params/bad-name')).status).toBe(400);
  });

  it('gives an untrusted build no parameters', async () => {
    const { call } = await start(false);
    expect((await call('GET', '/v1/params')).json()).toEqual({ values: [] });
    expect((await call('GET', '/v1/params/NPM_TOKEN')).status).toBe(404);
  });

  it('validates bodies against the document', async () => {
    const { call, masker } = await start();
    expect((await call('POST', '/v1/masks', { value: 'runtime-secret' })).status).toBe(204);
    expect(masker.mask('runtime-secret')).toBe('***');
    const unknownField = await call('POST', '/v1/masks', { value: 'abcd', extra: 1 });
    expect(unknownField.status).toBe(400);
    expect(unknownField.json()).toMatchObject({ error: { code: 'invalid_input' } });
    expect((await call('POST', '/v1/events', { type: 'job.nonsense' })).status).toBe(400);
  });

  it('records job events in order and refuses events for undeclared jobs', async () => {
    const { api, call } = await start();
    const at = new Date().toISOString();
    const ended = { type: 'job.ended', jobId: 'a', status: 'success', attempts: 1, at };
    expect((await call('POST', '/v1/events', ended)).status).toBe(422);
    const pending = { type: 'job.pending', jobId: 'a', kind: 'container', dependsOn: [], at };
    expect((await call('POST', '/v1/events', pending)).status).toBe(204);
    expect((await call('POST', '/v1/events', ended)).status).toBe(204);
    expect(api.session.jobRecord('a')).toMatchObject({ status: 'success' });
  });

  it('appends masked action-job log lines', async () => {
    const { call, sink } = await start();
    await call('GET', '/v1/params/NPM_TOKEN');
    const at = new Date().toISOString();
    await call('POST', '/v1/events', {
      type: 'job.pending',
      jobId: 'act',
      kind: 'action',
      dependsOn: [],
      at,
    });
    const answer = await call('POST', '/v1/jobs/act/logs', {
      lines: ['token npm-secret-value', 'ok'],
    });
    expect(answer.status).toBe(204);
    expect(sink.linesOf('act')).toEqual(['token ***', 'ok']);
    expect((await call('POST', '/v1/jobs/ghost/logs', { lines: ['x'] })).status).toBe(404);
  });

  it('runs a container job once, answering with its status, and refuses a second run', async () => {
    const { call, sink } = await start();
    const job = {
      id: 'hello',
      image,
      script: ['echo hello from $GREETING'],
      env: { GREETING: 'job' },
    };
    const answer = await call('POST', '/v1/jobs/hello/run', job);
    expect(answer.status).toBe(200);
    expect(answer.json()).toMatchObject({
      jobId: 'hello',
      status: 'success',
      exitCode: 0,
      attempt: 1,
    });
    expect(sink.linesOf('hello')).toContain('hello from job');
    expect((await call('POST', '/v1/jobs/hello/run', job)).status).toBe(409);
    expect((await call('POST', '/v1/jobs/other/run', job)).status).toBe(400);
  });

  it('runs each attempt of a job once, as the SDK retries', async () => {
    const { call, sink } = await start();
    const job = { id: 'flaky', image, script: ['exit 5'], retries: 1 };
    const first = await call('POST', '/v1/jobs/flaky/run', job);
    expect(first.json()).toMatchObject({ status: 'failure', exitCode: 5, attempt: 1 });
    const second = await call('POST', '/v1/jobs/flaky/run', { ...job, attempt: 2 });
    expect(second.json()).toMatchObject({ status: 'failure', exitCode: 5, attempt: 2 });
    expect((await call('POST', '/v1/jobs/flaky/run', { ...job, attempt: 2 })).status).toBe(409);
    expect(sink.linesOf('flaky')).toContain('Attempt 2.');
  });

  it('pulls with credentials from DOCKER_AUTH_CONFIG, failing with the registry’s answer and masking them', async () => {
    const auth = {
      auths: { 'registry.gibbon.test': { username: 'bot', password: 'registry-password' } },
    };
    const { call, sink } = await start(true, { DOCKER_AUTH_CONFIG: JSON.stringify(auth) });
    const job = { id: 'private', image: 'registry.gibbon.test/team/app:1', script: ['true'] };
    const answer = await call('POST', '/v1/jobs/private/run', job);
    const result = answer.json<{ status: string; message: string }>();
    expect(result.status).toBe('error');
    expect(result.message).toMatch(/^Could not pull image registry\.gibbon\.test\/team\/app:1: .+/);
    expect(sink.entries.filter((entry) => entry.text.includes('registry-password'))).toEqual([]);
  });

  it('takes a mask of 65,536 characters, masks it in logs and stays up', async () => {
    const { call, sink, masker } = await start();
    const secret = longValue(65_536);
    expect((await call('POST', '/v1/masks', { value: secret })).status).toBe(204);
    const at = new Date().toISOString();
    await call('POST', '/v1/events', {
      type: 'job.pending',
      jobId: 'act',
      kind: 'action',
      dependsOn: [],
      at,
    });
    // As the SDK posts a longer line: cut into pieces of 65,536 characters.
    const line = `token ${secret} end`;
    const logged = await call('POST', '/v1/jobs/act/logs', {
      lines: [line.slice(0, 65_536), line.slice(65_536)],
    });
    expect(logged.status).toBe(204);
    expect(masker.mask(`x${secret}y`)).toBe('x***y');
    expect((await call('GET', '/v1/build')).status).toBe(200);
    await call('POST', '/v1/events', {
      type: 'job.ended',
      jobId: 'act',
      status: 'success',
      attempts: 1,
      at,
    });
    expect(sink.linesOf('act')).toEqual(['token *** end']);
  });

  it('refuses, with 422, masks beyond what one build may register', async () => {
    const { call } = await start();
    let answer: HttpAnswer | undefined;
    for (let seed = 0; seed < 40; seed += 1) {
      answer = await call('POST', '/v1/masks', {
        value: `${seed}-${longValue(65_530)}`.slice(0, 65_536),
      });
      if (answer.status !== 204) break;
    }
    expect(answer?.status).toBe(422);
    const { error } = answer!.json<{ error: { code: string; message: string } }>();
    expect(error.code).toBe('unprocessable');
    expect(error.message).toMatch(/Register fewer or shorter secrets/);
    expect((await call('GET', '/v1/build')).status).toBe(200);
  });

  it('masks event messages before recording and forwarding them, and logs an action’s error', async () => {
    const { api, call, sink, events } = await start();
    await call('GET', '/v1/params/NPM_TOKEN');
    const at = new Date().toISOString();
    await call('POST', '/v1/events', {
      type: 'job.pending',
      jobId: 'act',
      kind: 'action',
      dependsOn: [],
      at,
    });
    await call('POST', '/v1/events', { type: 'job.started', jobId: 'act', attempt: 1, at });
    const message = 'request failed: npm-secret-value was refused';
    const ended = { type: 'job.ended', jobId: 'act', status: 'failure', attempts: 1, message, at };
    expect((await call('POST', '/v1/events', ended)).status).toBe(204);
    const verdict = {
      type: 'script.ended',
      status: 'failure',
      message: `bad npm-secret-value`,
      at,
    };
    expect((await call('POST', '/v1/events', verdict)).status).toBe(204);
    expect(api.session.jobRecord('act')).toMatchObject({
      message: 'request failed: *** was refused',
    });
    expect(events.filter((event) => event.type.endsWith('.ended'))).toEqual([
      { ...ended, message: 'request failed: *** was refused' },
      { ...verdict, message: 'bad ***' },
    ]);
    expect(api.session.scriptVerdict()?.message).toBe('bad ***');
    expect(sink.linesOf('act')).toEqual(['Job failed: request failed: *** was refused']);
  });

  it('stores and serves artifacts, refusing ids that would leave their folder', async () => {
    const { api } = await start();
    const bytes = Buffer.from('pretend tar.gz');
    const put = await httpCall(api.url, 'PUT', '/v1/artifacts/dist', {
      token: api.token,
      raw: bytes,
      contentType: 'application/gzip',
    });
    expect(put.status).toBe(201);
    expect(put.json()).toEqual({ id: 'dist', size: bytes.length });
    const got = await httpCall(api.url, 'GET', '/v1/artifacts/dist', { token: api.token });
    expect(got.body).toBe('pretend tar.gz');
    const missing = await httpCall(api.url, 'GET', '/v1/artifacts/nope', { token: api.token });
    expect(missing.status).toBe(404);
    const hostile = await httpCall(api.url, 'GET', '/v1/artifacts/..%2F..%2Fetc', {
      token: api.token,
    });
    expect(hostile.status).toBe(400);
  });

  it('refuses artifact and cache ids with "..", and bad cache keys, as the document does', async () => {
    const { api } = await start();
    const put = (path: string) =>
      httpCall(api.url, 'PUT', path, {
        token: api.token,
        raw: Buffer.from('pretend tar.gz'),
        contentType: 'application/gzip',
      });
    for (const path of ['/v1/artifacts/x..y', '/v1/caches/x..y', '/v1/caches/npm?key=NOT-HEX']) {
      const answer = await put(path);
      expect({ path, status: answer.status }).toEqual({ path, status: 400 });
      expect(answer.json()).toMatchObject({ error: { code: 'invalid_input' } });
    }
    const got = await httpCall(api.url, 'GET', '/v1/artifacts/x..y', { token: api.token });
    expect(got.status).toBe(400);
    expect(got.json<{ error: { message: string } }>().error.message).toMatch(
      /\/path\/artifactId must be letters, digits, .*no `\.\.`/,
    );
    expect((await put('/v1/artifacts/x.y')).status).toBe(201);
    expect((await put('/v1/caches/npm?key=0123abcd')).status).toBe(201);
  });

  it('makes the token useless once the build’s API is closed', async () => {
    const { api } = await start();
    const url = api.url;
    await api.close();
    await expect(httpCall(url, 'GET', '/v1/build', { token: api.token })).rejects.toThrow();
  });
});

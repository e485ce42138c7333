import type { Claim } from '@gibbon/contracts';
import { loadWebhookExamples } from '@gibbon/test-kit';
import { startAppOn } from './backend-app';
import { backends } from './backends';
import { createBuildWorld, nowIso, type BuildWorld } from './build-world';
import type { TestApp } from './harness';
import { readUntil } from './read-until';

// Logs, live events, artifacts and parameters on SQLite and on Postgres.
describe.each(backends)('build output on $name', (backend) => {
  let app: TestApp;
  let world: BuildWorld;
  let runner: string;
  beforeAll(async () => {
    app = await startAppOn(backend, { sseKeepAliveMs: 100 });
    world = await createBuildWorld(app);
    runner = await world.registerRunner('r');
  });
  afterAll(() => app.close());

  async function claimNew(body?: Record<string, unknown>): Promise<Claim> {
    await world.trigger(body);
    const { claim } = await world.claim(runner);
    if (!claim) throw new Error('expected a claim');
    return claim;
  }
  const declare = (claim: Claim, jobId: string) =>
    world.runner(claim, 'POST', '/events', {
      body: { type: 'job.pending', jobId, kind: 'container', dependsOn: [], at: nowIso() },
    });
  const chunk = (claim: Claim, jobId: string, seq: number, text: string) =>
    world.runner(claim, 'PUT', `/jobs/${jobId}/logs/${seq}`, {
      rawBody: text,
      headers: { 'content-type': 'text/plain' },
    });
  const logPath = (claim: Claim, jobId: string) =>
    `/v1/orgs/acme/repos/web/builds/${claim.build.number}/jobs/${jobId}/logs`;

  it('log chunks are idempotent by number, gaps are reported, the log reads back in order', async () => {
    const claim = await claimNew();
    await declare(claim, 'test');
    expect((await chunk(claim, 'test', 0, 'one\n')).body).toEqual({ nextSeq: 1 });
    expect((await chunk(claim, 'test', 0, 'REPLAYED\n')).body).toEqual({ nextSeq: 1 });
    expect((await chunk(claim, 'test', 2, 'three\n')).body).toEqual({ nextSeq: 1 });
    const beforeGapFilled = await app.call('GET', logPath(claim, 'test'), {
      token: app.adminToken,
    });
    expect(beforeGapFilled.text).toBe('one\n');
    expect((await chunk(claim, 'test', 1, 'two $(id) \u001b[31m\n')).body).toEqual({ nextSeq: 3 });
    const log = await app.call('GET', logPath(claim, 'test'), { token: app.adminToken });
    expect(log).toMatchObject({ status: 200, text: 'one\ntwo $(id) \u001b[31m\nthree\n' });
    // When each part was stored, by the byte it begins at (a line's time is its part's).
    const before = Date.now();
    const times = await app.call('GET', `${logPath(claim, 'test')}/times`, {
      token: app.adminToken,
    });
    const items = (times.body as { items: { offset: number; at: string }[] }).items;
    expect(items.map((item) => item.offset)).toEqual([
      0,
      4,
      4 + Buffer.byteLength('two $(id) \u001b[31m\n'),
    ]);
    for (const { at } of items) expect(Date.parse(at)).toBeLessThanOrEqual(before);
    expect(
      await app.call(
        'GET',
        `/v1/orgs/acme/repos/web/builds/${claim.build.number}/jobs/nope/logs/times`,
        {
          token: app.adminToken,
        },
      ),
    ).toMatchObject({ status: 404 });
    const keys: string[] = [];
    for await (const info of app.blobStore.list('logs/acme/web/')) keys.push(info.key);
    expect(keys).toContain(`logs/acme/web/${claim.build.number}/test/1/0000000002.log`);
    await world.runner(claim, 'POST', '/result', { body: { status: 'success' } });
  });

  it('?follow=true streams new chunks as they arrive and ends with the job', async () => {
    const claim = await claimNew();
    await declare(claim, 'watch');
    await chunk(claim, 'watch', 0, 'first\n');
    const response = await fetch(`${app.baseUrl}${logPath(claim, 'watch')}?follow=true`, {
      headers: { authorization: `Bearer ${app.adminToken}` },
    });
    expect(response.status).toBe(200);
    const body = response.body!;
    expect((await readUntil(body, (t) => t.includes('first\n'))).text).toBe('first\n');
    await chunk(claim, 'watch', 1, 'second\n');
    expect((await readUntil(body, (t) => t.includes('second\n'))).text).toBe('second\n');
    await chunk(claim, 'watch', 2, 'last\n');
    await world.runner(claim, 'POST', '/events', {
      body: {
        type: 'job.ended',
        jobId: 'watch',
        status: 'success',
        attempts: 1,
        exitCode: 0,
        at: nowIso(),
      },
    });
    const rest = await readUntil(body, () => false);
    expect(rest).toEqual({ text: 'last\n', ended: true });
    await world.runner(claim, 'POST', '/result', { body: { status: 'success' } });
  });

  it("the build script's own log (_script) is stored without a job and reads back", async () => {
    const claim = await claimNew();
    expect((await chunk(claim, '_script', 0, 'checkout failed: no such ref\n')).body).toEqual({
      nextSeq: 1,
    });
    expect((await chunk(claim, '_script', 1, 'error TS2304\n')).body).toEqual({ nextSeq: 2 });
    await world.runner(claim, 'POST', '/result', { body: { status: 'error' } });
    const log = await app.call('GET', logPath(claim, '_script'), { token: app.adminToken });
    expect(log).toMatchObject({
      status: 200,
      text: 'checkout failed: no such ref\nerror TS2304\n',
    });
    const keys: string[] = [];
    for await (const info of app.blobStore.list(`logs/acme/web/${claim.build.number}/`)) {
      keys.push(info.key);
    }
    expect(keys.sort()).toEqual([
      `logs/acme/web/${claim.build.number}/_script/1/0000000000.log`,
      `logs/acme/web/${claim.build.number}/_script/1/0000000001.log`,
    ]);
  });

  it('?follow=true on _script outlives the jobs and ends with the build', async () => {
    const claim = await claimNew();
    await declare(claim, 'only');
    await chunk(claim, '_script', 0, 'starting\n');
    const response = await fetch(`${app.baseUrl}${logPath(claim, '_script')}?follow=true`, {
      headers: { authorization: `Bearer ${app.adminToken}` },
    });
    expect(response.status).toBe(200);
    const body = response.body!;
    expect((await readUntil(body, (t) => t.includes('starting\n'))).text).toBe('starting\n');
    await world.runner(claim, 'POST', '/events', {
      body: {
        type: 'job.ended',
        jobId: 'only',
        status: 'success',
        attempts: 1,
        exitCode: 0,
        at: nowIso(),
      },
    });
    await chunk(claim, '_script', 1, 'after the job\n');
    expect(await readUntil(body, (t) => t.includes('after the job\n'))).toEqual({
      text: 'after the job\n',
      ended: false,
    });
    await chunk(claim, '_script', 2, 'done\n');
    await world.runner(claim, 'POST', '/result', { body: { status: 'success' } });
    expect(await readUntil(body, () => false)).toEqual({ text: 'done\n', ended: true });
  });

  it('_script is the only underscore id: other ones, and _script as a job, are refused', async () => {
    const claim = await claimNew();
    const refused = await chunk(claim, '_other', 0, 'x\n');
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('jobId');
    expect((await chunk(claim, '__script', 0, 'x\n')).status).toBe(400);
    expect((await chunk(claim, '_script.', 0, 'x\n')).status).toBe(400);
    expect((await declare(claim, '_script')).status).toBe(400);
    const read = await app.call('GET', logPath(claim, '_other'), { token: app.adminToken });
    expect(read.status).toBe(400);
    await world.runner(claim, 'POST', '/result', { body: { status: 'success' } });
  });

  it('GET /v1/orgs/{org}/events streams build and job status changes with keep-alives', async () => {
    const hangUp = new AbortController();
    const response = await fetch(`${app.baseUrl}/v1/orgs/acme/events?repo=web`, {
      headers: { authorization: `Bearer ${app.adminToken}` },
      signal: hangUp.signal,
    });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const body = response.body!;
    await readUntil(body, (t) => t.includes(': connected'));
    const claim = await claimNew();
    await declare(claim, 'lint');
    const { text } = await readUntil(body, (t) => t.includes('event: job.status'));
    const events = text
      .split('\n\n')
      .filter((block) => block.startsWith('event: '))
      .map((block) => JSON.parse(block.split('\ndata: ')[1] ?? '{}') as Record<string, unknown>);
    expect(events.map((e) => `${e.type as string} ${e.status as string}`)).toEqual([
      'build.status queued',
      'build.status running',
      'job.status pending',
    ]);
    expect(events[0]).toMatchObject({ org: 'acme', repo: 'web', number: claim.build.number });
    expect((await readUntil(body, (t) => t.includes(': keep-alive'))).ended).toBe(false);
    hangUp.abort();
    await world.runner(claim, 'POST', '/result', { body: { status: 'success' } });
  });

  it('lists and downloads artifacts from the BlobStore; a traversal id is refused', async () => {
    const claim = await claimNew();
    const bytes = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 1, 2, 3]);
    await app.blobStore.put(`artifacts/acme/web/${claim.build.number}/dist.tar.gz`, bytes);
    const base = `/v1/orgs/acme/repos/web/builds/${claim.build.number}/artifacts`;
    const list = await app.call('GET', base, { token: app.adminToken });
    expect(list.body).toEqual({
      items: [expect.objectContaining({ id: 'dist', size: bytes.length })],
    });
    const download = await fetch(`${app.baseUrl}${base}/dist`, {
      headers: { authorization: `Bearer ${app.adminToken}` },
    });
    expect(download.headers.get('content-type')).toBe('application/gzip');
    expect(Buffer.from(await download.arrayBuffer())).toEqual(bytes);
    expect((await app.call('GET', `${base}/missing`, { token: app.adminToken })).status).toBe(404);
    expect((await app.call('GET', `${base}/..%2F..%2Fx`, { token: app.adminToken })).status).toBe(
      400,
    );
    await world.runner(claim, 'POST', '/result', { body: { status: 'success' } });
  });

  it('a trusted build sees parameter sets and its trigger parameters; a fork pull request sees none', async () => {
    await app.services.params.create('acme', {
      values: [{ name: 'DEPLOY_KEY', value: 'from-set' }],
    });
    const trusted = await claimNew({
      branch: 'main',
      params: [
        { name: 'EXTRA', value: 'x' },
        { name: 'DEPLOY_KEY', value: 'from-trigger' },
      ],
    });
    const seen = await world.runner(trusted, 'GET', '/params');
    const values = (seen.body as { values: { name: string; value: string }[] }).values;
    expect(values.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: 'DEPLOY_KEY', value: 'from-trigger' },
      { name: 'EXTRA', value: 'x' },
    ]);
    await world.runner(trusted, 'POST', '/result', { body: { status: 'success' } });

    const [opened] = loadWebhookExamples('pull_request', { action: 'opened' });
    const payload = structuredClone(opened!.payload);
    payload.pull_request.head.repo = { ...payload.pull_request.head.repo!, id: 999_999_999 };
    const delivered = await world.deliver({ event: 'pull_request', payload });
    expect(delivered.body).toMatchObject({ build: { trusted: false } });
    const { claim: untrusted } = await world.claim(runner);
    expect(untrusted?.build.trusted).toBe(false);
    expect((await world.runner(untrusted!, 'GET', '/params')).body).toEqual({ values: [] });
    await world.runner(untrusted!, 'POST', '/result', { body: { status: 'success' } });
  });
});

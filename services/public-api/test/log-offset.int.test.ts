import type { Claim } from '@gibbon/contracts';
import { startAppOn } from './backend-app';
import { backends } from './backends';
import { createBuildWorld, nowIso, type BuildWorld } from './build-world';
import type { TestApp } from './harness';
import { readUntil } from './read-until';

// Resuming a log: `offset` counts bytes of the masked text (multi-byte characters included),
// on the plain and the followed answer, and a follow cut short by a stop never looks ended.
describe.each(backends)('log offsets on $name', (backend) => {
  let app: TestApp;
  let world: BuildWorld;
  let runner: string;
  beforeAll(async () => {
    app = await startAppOn(backend);
    world = await createBuildWorld(app);
    runner = await world.registerRunner('r');
  });
  afterAll(() => app.close());

  const claimWithJob = (jobId: string) => world.claimWithJob(runner, jobId);
  const chunk = (claim: Claim, jobId: string, seq: number, text: string) =>
    world.runner(claim, 'PUT', `/jobs/${jobId}/logs/${seq}`, {
      rawBody: text,
      headers: { 'content-type': 'text/plain' },
    });
  const endJob = (claim: Claim, jobId: string) =>
    world.runner(claim, 'POST', '/events', {
      body: { type: 'job.ended', jobId, status: 'success', attempts: 1, exitCode: 0, at: nowIso() },
    });
  const logPath = (claim: Claim, jobId: string, query: string) =>
    `/v1/orgs/acme/repos/web/builds/${claim.build.number}/jobs/${jobId}/logs?${query}`;
  const follow = async (claim: Claim, jobId: string, offset: number) => {
    const response = await fetch(
      `${app.baseUrl}${logPath(claim, jobId, `follow=true&offset=${offset}`)}`,
      { headers: { authorization: `Bearer ${app.adminToken}` } },
    );
    expect(response.status).toBe(200);
    return response.body!;
  };

  it('?offset=N answers the log text from byte N on; past the end, an empty answer', async () => {
    const claim = await claimWithJob('test');
    const chunks = ['one ü\n', 'two\n', 'three\n'];
    for (const [seq, text] of chunks.entries()) await chunk(claim, 'test', seq, text);
    await endJob(claim, 'test');
    const whole = Buffer.from(chunks.join(''), 'utf8');
    // Inside the first chunk (between the two bytes of ü), at a chunk's start, inside the
    // last chunk, at the end, past the end.
    for (const offset of [0, 5, 7, 9, whole.length - 1, whole.length, whole.length + 100]) {
      const response = await fetch(`${app.baseUrl}${logPath(claim, 'test', `offset=${offset}`)}`, {
        headers: { authorization: `Bearer ${app.adminToken}` },
      });
      expect({ offset, status: response.status }).toEqual({ offset, status: 200 });
      const bytes = Buffer.from(await response.arrayBuffer());
      expect({ offset, bytes }).toEqual({ offset, bytes: whole.subarray(offset) });
    }
    const refused = await app.call('GET', logPath(claim, 'test', 'offset=-1'), {
      token: app.adminToken,
    });
    expect(refused.status).toBe(400);
    await world.runner(claim, 'POST', '/result', { body: { status: 'success' } });
  });

  it('?follow=true&offset=N streams from byte N on, waits for a log that is not that long yet, and ends with the job', async () => {
    const claim = await claimWithJob('watch');
    await chunk(claim, 'watch', 0, 'first\n');
    const fromInside = await follow(claim, 'watch', 2);
    expect((await readUntil(fromInside, (t) => t.includes('\n'))).text).toBe('rst\n');
    // Byte 9 is inside the chunk still to come ("first\n" is 6 bytes, "second\n" 7).
    const ahead = await follow(claim, 'watch', 9);
    await chunk(claim, 'watch', 1, 'second\n');
    expect((await readUntil(ahead, (t) => t.includes('\n'))).text).toBe('ond\n');
    expect((await readUntil(fromInside, (t) => t.includes('\n'))).text).toBe('second\n');
    await chunk(claim, 'watch', 2, 'last\n');
    await endJob(claim, 'watch');
    expect(await readUntil(ahead, () => false)).toEqual({ text: 'last\n', ended: true });
    expect(await readUntil(fromInside, () => false)).toEqual({ text: 'last\n', ended: true });
    const pastTheEnd = await follow(claim, 'watch', 1000);
    expect(await readUntil(pastTheEnd, () => false)).toEqual({ text: '', ended: true });
    await world.runner(claim, 'POST', '/result', { body: { status: 'success' } });
  });
});

describe('a followed log when public-api stops', () => {
  it('is cut off, not ended, so a client cannot take the stop for the end of the job', async () => {
    const app = await startAppOn(backends[0]!);
    const world = await createBuildWorld(app);
    const claim = await world.claimWithJob(await world.registerRunner('r'), 'long');
    await world.runner(claim, 'PUT', '/jobs/long/logs/0', {
      rawBody: 'still running\n',
      headers: { 'content-type': 'text/plain' },
    });
    const response = await fetch(
      `${app.baseUrl}/v1/orgs/acme/repos/web/builds/${claim.build.number}/jobs/long/logs?follow=true`,
      { headers: { authorization: `Bearer ${app.adminToken}` } },
    );
    const body = response.body!;
    await readUntil(body, (t) => t.includes('still running\n'));
    // What a stop does first (the HTTP server's close waits for the answers that are left).
    await app.services.stop();
    await expect(readUntil(body, () => false)).rejects.toThrow();
    await app.close();
    expect(app.logLines.join('\n')).not.toContain('request failed after its answer started');
  });
});

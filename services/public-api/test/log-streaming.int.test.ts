import { createHash } from 'node:crypto';
import { request, type IncomingMessage } from 'node:http';
import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Claim } from '@gibbon/contracts';
import type { BlobStore } from '@gibbon/storage';
import { createBuildWorld, nowIso, type BuildWorld } from './build-world';
import { startTestApp, type TestApp } from './harness';

// A full collection before every memory sample: without it the buffers already sent (garbage
// V8 has not collected yet) would be counted as held, and streaming would look like loading.
// Twice: the first collection leaves freed Buffers to a background sweeper, still counted in
// `arrayBuffers` until the next collection waits for it.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const MiB = 1024 * 1024;

/** What the process holds after a full collection: the JS heap plus Buffers outside it. */
function heldBytes(): number {
  collectGarbage();
  collectGarbage();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

/**
 * The real local-disk store, counting what the log reader takes out of it: bytes handed out
 * and object streams not yet closed.
 */
class CountingStore implements BlobStore {
  bytesRead = 0;
  gets = 0;
  openStreams = 0;

  constructor(private readonly inner: BlobStore) {}

  open = () => this.inner.open();
  put: BlobStore['put'] = (key, body, options) => this.inner.put(key, body, options);
  head = (key: string) => this.inner.head(key);
  list = (prefix: string) => this.inner.list(prefix);
  delete = (key: string) => this.inner.delete(key);
  deletePrefix = (prefix: string) => this.inner.deletePrefix(prefix);
  close = () => this.inner.close();

  async get(...args: Parameters<BlobStore['get']>): Promise<Readable> {
    const stream = await this.inner.get(...args);
    this.gets += 1;
    this.openStreams += 1;
    stream.on('data', (piece: Buffer) => (this.bytesRead += piece.length));
    stream.once('close', () => (this.openStreams -= 1));
    return stream;
  }
}

/** One megabyte-sized chunk, distinct per number, with multi-byte characters in it. */
function chunkText(seq: number, line: string): string {
  const header = `chunk ${String(seq).padStart(6, '0')} ü\n`;
  const room = MiB - Buffer.byteLength(header);
  return header + line.repeat(Math.floor(room / Buffer.byteLength(line)));
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 20) {
    if (waited > 10_000) throw new Error(`Timed out waiting until ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function get(
  url: string,
  token: string,
): Promise<{ response: IncomingMessage; hangUp: () => void }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { authorization: `Bearer ${token}` } }, (response) =>
      resolve({ response, hangUp: () => req.destroy() }),
    );
    req.on('error', reject);
    req.end();
  });
}

// Spec: a job's log is read back as text, and followed. A log many times larger than what a
// request may hold must reach a slow reader one chunk at a time, never loaded whole.
describe('reading a large log back', () => {
  let app: TestApp;
  let world: BuildWorld;
  let store: CountingStore;
  let runner: string;
  beforeAll(async () => {
    app = await startTestApp({
      wrapBlobStore: (inner) => (store = new CountingStore(inner)),
    });
    world = await createBuildWorld(app);
    runner = await world.registerRunner('r');
  });
  afterAll(() => app.close());

  const claimWithJob = (jobId: string) => world.claimWithJob(runner, jobId);

  /** Stores `chunkCount` chunks of about 1 MiB through the log service; returns their digest. */
  async function writeLog(
    claim: Claim,
    jobId: string,
    chunkCount: number,
  ): Promise<{ sha256: string; bytes: number }> {
    const hash = createHash('sha256');
    let bytes = 0;
    const line = 'build output line with \u00e9t\u00e9 and \u001b[32mcolour\u001b[0m\n';
    for (let seq = 0; seq < chunkCount; seq++) {
      const text = chunkText(seq, line);
      hash.update(text);
      bytes += Buffer.byteLength(text);
      await app.services.logChunks.put(claim.build.id, claim.lease.id, jobId, seq, text);
    }
    return { sha256: hash.digest('hex'), bytes };
  }

  async function endJob(claim: Claim, jobId: string): Promise<void> {
    await world.runner(claim, 'POST', '/events', {
      body: { type: 'job.ended', jobId, status: 'success', attempts: 1, at: nowIso() },
    });
    await world.runner(claim, 'POST', '/result', { body: { status: 'success' } });
  }

  const logUrl = (claim: Claim, jobId: string, query: string) =>
    `${app.baseUrl}/v1/orgs/acme/repos/web/builds/${claim.build.number}/jobs/${jobId}/logs${query}`;

  it.each([
    ['as text', ''],
    ['followed', '?follow=true'],
  ])(
    'a 64 MiB log %s reaches a slow reader whole, in order, while the server holds little of it',
    async (_how, query) => {
      const claim = await claimWithJob('big');
      const written = await writeLog(claim, 'big', 64);
      await endJob(claim, 'big');

      const baseline = heldBytes();
      let peak = baseline;
      // Each sample is two full collections, which stall this process (the server's too): once
      // a second still sees a log loaded whole, which would be held for the whole read.
      const sampler = setInterval(() => (peak = Math.max(peak, heldBytes())), 1000);
      const hash = createHash('sha256');
      let received = 0;
      try {
        const { response } = await get(logUrl(claim, 'big', query), app.adminToken);
        expect(response.statusCode).toBe(200);
        expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
        // A reader that takes 16 KiB at a time and pauses after every 256 KiB: the server,
        // reading from a local disk, is much faster and must wait for it.
        let sincePause = 0;
        const slowReader = new Writable({
          highWaterMark: 16 * 1024,
          write(piece: Buffer, _encoding, done) {
            hash.update(piece);
            received += piece.length;
            sincePause += piece.length;
            if (sincePause < 256 * 1024) return done();
            sincePause = 0;
            setTimeout(done, 5);
          },
        });
        await pipeline(response, slowReader);
      } finally {
        clearInterval(sampler);
      }
      peak = Math.max(peak, heldBytes());

      expect({ bytes: received, sha256: hash.digest('hex') }).toEqual(written);
      // Loading the log whole holds at least its 64 MiB (twice: as text and as the bytes sent).
      expect((peak - baseline) / MiB).toBeLessThan(16);
    },
    300_000,
  );

  it.each([
    ['as text', ''],
    ['followed, while the job still runs', '?follow=true'],
  ])(
    'a reader that hangs up %s stops the reading from storage',
    async (_how, query) => {
      const claim = await claimWithJob('cut');
      await writeLog(claim, 'cut', 32);
      store.bytesRead = 0;
      const { response, hangUp } = await get(logUrl(claim, 'cut', query), app.adminToken);
      let received = 0;
      await new Promise<void>((resolve) => {
        response.on('data', (piece: Buffer) => {
          received += piece.length;
          if (received >= MiB) {
            response.pause();
            resolve();
          }
        });
      });
      hangUp();
      await until(() => store.openStreams === 0, 'every object stream the log opened is closed');
      const getsAfterHangUp = store.gets;
      expect(store.bytesRead / MiB).toBeLessThan(16);
      // A chunk stored after the hang-up wakes no reader.
      await app.services.logChunks.put(claim.build.id, claim.lease.id, 'cut', 32, 'late\n');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(store.gets).toBe(getsAfterHangUp);
      expect(store.openStreams).toBe(0);
      await endJob(claim, 'cut');
    },
    60_000,
  );
});

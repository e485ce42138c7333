import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConflictError } from '@gibbon/contracts';
import type { LogEntry } from '@gibbon/engine';
import { claimFixture } from '../../test/claim-fixture';
import { LogServer } from '../../test/log-server';
import { RunnerApiClient } from '../runner-api/client';
import { LogShipper, type LogShipperOptions } from './log-shipper';

let root: string;
let server: LogServer;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'gibbon-logs-'));
  server = new LogServer();
});

afterEach(async () => {
  await server.stop();
  await rm(root, { recursive: true, force: true });
});

function shipperFor(port: number, options: Partial<LogShipperOptions> = {}): LogShipper {
  const api = new RunnerApiClient(`http://127.0.0.1:${port}`, 'runner-token').forBuild(
    claimFixture(),
  );
  return new LogShipper({
    put: (jobId, seq, text, signal) => api.putLogChunk(jobId, seq, text, signal),
    folder: join(root, 'logs'),
    backoff: { initialMs: 20, maxMs: 100 },
    flushIntervalMs: 50,
    ...options,
  });
}

function entry(jobId: string, seq: number, text: string): LogEntry {
  return { jobId, seq, stream: 'stdout', text, at: new Date() };
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('LogShipper', () => {
  it('loses no line and duplicates none through refused connections and 503s', async () => {
    const port = await server.listen();
    await server.stop(); // refused from the start
    const shipper = shipperFor(port);
    await shipper.open();
    const expected = { build: [] as string[], test: [] as string[] };
    let written = 0;
    const writeSome = (count: number) => {
      for (let index = 0; index < count; index += 1) {
        written += 1;
        const job = written % 3 === 0 ? 'test' : 'build';
        const text = `line ${written} ✓ ${'x'.repeat(written % 200)}`;
        expected[job].push(text);
        shipper.write(entry(job, written, text));
      }
    };

    writeSome(500);
    await delay(300);
    server.mode = 'unavailable';
    await server.listen(port);
    writeSome(500);
    await delay(300);
    expect(server.requests).toBeGreaterThan(0);
    expect(server.chunks.size).toBe(0);
    server.mode = 'ok';
    writeSome(2000);
    await shipper.close();

    expect(server.textOf('build')).toBe(expected.build.map((line) => `${line}\n`).join(''));
    expect(server.textOf('test')).toBe(expected.test.map((line) => `${line}\n`).join(''));
  });

  it("drainJob resolves once that job's lines are stored, without waiting for the interval", async () => {
    const port = await server.listen();
    const shipper = shipperFor(port, { flushIntervalMs: 60_000 });
    await shipper.open();
    shipper.write(entry('done', 1, 'last line of a finished job'));
    shipper.write(entry('other', 1, 'still running'));
    await shipper.drainJob('done');
    expect(server.textOf('done')).toBe('last line of a finished job\n');
    expect(server.chunks.get('other')).toBeUndefined();
    await shipper.drainJob('never-wrote');
    await shipper.close();
  });

  it('ships a chunk as soon as 64 KiB gathered, without waiting for the interval', async () => {
    const port = await server.listen();
    const shipper = shipperFor(port, { flushIntervalMs: 60_000 });
    await shipper.open();
    const line = 'y'.repeat(1023); // 1 KiB with its newline
    for (let index = 0; index < 70; index += 1) shipper.write(entry('big', index + 1, line));
    await delay(300);
    const stored = server.chunks.get('big');
    expect(stored?.get(0)).toBe(`${line}\n`.repeat(64));
    expect(stored?.size).toBe(1);
    await shipper.close();
    expect(server.textOf('big')).toBe(`${line}\n`.repeat(70));
  });

  it('ships within about a second even when little gathered', async () => {
    const port = await server.listen();
    const shipper = shipperFor(port, { flushIntervalMs: undefined });
    await shipper.open();
    shipper.write(entry('quiet', 1, 'just one line'));
    await delay(1500);
    expect(server.textOf('quiet')).toBe('just one line\n');
    await shipper.close();
  });

  it('splits one huge line without breaking a character', async () => {
    const port = await server.listen();
    const shipper = shipperFor(port, { chunkBytes: 1000 });
    await shipper.open();
    const huge = '€'.repeat(1000); // 3 bytes each
    shipper.write(entry('wide', 1, huge));
    await shipper.close();
    const stored = server.chunks.get('wide');
    expect(stored?.size).toBeGreaterThan(3);
    for (const chunk of stored?.values() ?? []) expect(chunk).not.toContain('\uFFFD');
    expect(server.textOf('wide')).toBe(`${huge}\n`);
  });

  it('sends a chunk again when public-api reports it missing', async () => {
    const port = await server.listen();
    server.forget.add('gappy/1');
    const shipper = shipperFor(port, { chunkBytes: 100 });
    await shipper.open();
    const lines = Array.from({ length: 40 }, (_, index) => `line ${index} ${'z'.repeat(20)}`);
    for (const [index, text] of lines.entries()) shipper.write(entry('gappy', index + 1, text));
    await shipper.close();
    expect(server.forget.size).toBe(0);
    expect(server.textOf('gappy')).toBe(lines.map((line) => `${line}\n`).join(''));
  });

  it('stops shipping on 409 (lease lost) and posts nothing more', async () => {
    const port = await server.listen();
    server.mode = 'conflict';
    const lost: ConflictError[] = [];
    const shipper = shipperFor(port, { onLeaseLost: (error) => lost.push(error) });
    await shipper.open();
    shipper.write(entry('job', 1, 'first'));
    await delay(300);
    expect(lost).toHaveLength(1);
    expect(lost[0]).toBeInstanceOf(ConflictError);
    const requests = server.requests;
    shipper.write(entry('job', 2, 'second'));
    shipper.write(entry('other', 1, 'third'));
    await shipper.close();
    expect(server.requests).toBe(requests);
  });

  it('keeps one numbered buffer file per job, never named after the job', async () => {
    const port = await server.listen();
    const shipper = shipperFor(port);
    await shipper.open();
    shipper.write(entry('../../evil', 1, 'a'));
    shipper.write(entry('fine', 1, 'b'));
    await shipper.close();
    expect((await readdir(join(root, 'logs'))).sort()).toEqual(['1.log', '2.log']);
    expect(server.textOf('../../evil')).toBe('a\n');
  });
});

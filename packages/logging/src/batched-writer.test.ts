import { setImmediate as nextTurn } from 'node:timers/promises';
import { batchedWriter } from './batched-writer';
import { createLogger } from './logger';

function recording(): { chunks: string[]; write: (chunk: string) => void } {
  const chunks: string[] = [];
  return { chunks, write: (chunk) => chunks.push(chunk) };
}

describe('batchedWriter', () => {
  it('writes the lines of one tick as one chunk, in order, at the end of the tick', async () => {
    const sink = recording();
    const writer = batchedWriter(sink.write);
    writer.write('a\n');
    writer.write('b\n');
    expect(sink.chunks).toEqual([]);
    await nextTurn();
    expect(sink.chunks).toEqual(['a\nb\n']);
    writer.write('c\n');
    await nextTurn();
    expect(sink.chunks).toEqual(['a\nb\n', 'c\n']);
  });

  it('writes at once when a lot is pending, and on flush, never an empty chunk', async () => {
    const sink = recording();
    const writer = batchedWriter(sink.write);
    const long = `${'x'.repeat(70_000)}\n`;
    writer.write(long);
    expect(sink.chunks).toEqual([long]);
    writer.write('d\n');
    writer.flush();
    expect(sink.chunks).toEqual([long, 'd\n']);
    writer.flush();
    await nextTurn();
    expect(sink.chunks).toEqual([long, 'd\n']);
  });

  it('keeps each write within one pipe buffer (4096 bytes) and of whole lines', async () => {
    const sink = recording();
    const writer = batchedWriter(sink.write);
    const line = `${'é'.repeat(100)}\n`;
    for (let i = 0; i < 100; i++) writer.write(line);
    await nextTurn();
    expect(sink.chunks.join('')).toBe(line.repeat(100));
    expect(sink.chunks.length).toBeGreaterThan(1);
    for (const chunk of sink.chunks) {
      expect(Buffer.byteLength(chunk)).toBeLessThanOrEqual(4096);
      expect(chunk.endsWith('\n')).toBe(true);
    }
  });

  it('carries whole JSON log lines', async () => {
    const sink = recording();
    const logger = createLogger({ write: batchedWriter(sink.write).write });
    logger.log('info', 'request', { status: 200 });
    logger.log('error', 'request failed', { error: new Error('boom') });
    await nextTurn();
    const lines = sink.chunks.join('').trimEnd().split('\n');
    expect(lines.map((line) => JSON.parse(line) as { message: string })).toMatchObject([
      { message: 'request', status: 200 },
      { message: 'request failed', error: { message: 'boom' } },
    ]);
  });
});

import { Outbox } from '../client/outbox';
import { BatchedJobLog, MAX_LINE_CHARS } from './job-log';

/** A Script API whose log endpoint answers after `delayMs`, recording every batch. */
class SlowLogApi {
  readonly batches: string[][] = [];
  constructor(private readonly delayMs: number) {}
  appendLogs(_jobId: string, lines: readonly string[]): Promise<void> {
    return new Promise((resolve) =>
      setTimeout(() => {
        this.batches.push([...lines]);
        resolve();
      }, this.delayMs),
    );
  }
}

describe('BatchedJobLog', () => {
  it('batches lines, keeps their order and splits multi-line writes', async () => {
    const api = new SlowLogApi(0);
    const log = new BatchedJobLog(api, 'job', new Outbox());
    log.write('one');
    log.write('two\nthree\r\nfour');
    await log.flush();
    expect(api.batches).toEqual([['one', 'two', 'three', 'four']]);
  });

  it('drops writes after close (a detached action printing after its job ended)', async () => {
    const api = new SlowLogApi(0);
    const log = new BatchedJobLog(api, 'job', new Outbox());
    log.write('before');
    await log.close();
    log.write('after');
    await log.flush();
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(api.batches).toEqual([['before']]);
  });

  it('flushes by itself shortly after the last write', async () => {
    const api = new SlowLogApi(0);
    new BatchedJobLog(api, 'job', new Outbox()).write('alone');
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(api.batches).toEqual([['alone']]);
  });

  it('cuts lines longer than the API accepts and caps batches at 500 lines', async () => {
    const api = new SlowLogApi(0);
    const log = new BatchedJobLog(api, 'job', new Outbox());
    log.write('x'.repeat(MAX_LINE_CHARS * 2 + 5));
    for (let i = 0; i < 1200; i += 1) log.write(`line ${i}`);
    await log.flush();
    const lines = api.batches.flat();
    expect(lines.slice(0, 3).map((line) => line.length)).toEqual([
      MAX_LINE_CHARS,
      MAX_LINE_CHARS,
      5,
    ]);
    expect(lines).toHaveLength(1203);
    expect(lines.at(-1)).toBe('line 1199');
    expect(Math.max(...api.batches.map((batch) => batch.length))).toBeLessThanOrEqual(500);
    const chars = api.batches.map((batch) => batch.reduce((sum, line) => sum + line.length, 0));
    expect(Math.max(...chars)).toBeLessThanOrEqual(1_048_576 + MAX_LINE_CHARS);
  });

  it('asks a producer to wait while too many batches are unsent, and lets it go on after', async () => {
    const api = new SlowLogApi(30);
    const log = new BatchedJobLog(api, 'job', new Outbox());
    expect(log.waitForRoom()).toBeUndefined();
    for (let i = 0; i < 500 * 5; i += 1) log.write(`line ${i}`);
    const wait = log.waitForRoom();
    expect(wait).toBeInstanceOf(Promise);
    await wait;
    expect(api.batches.length).toBeGreaterThanOrEqual(2);
    await log.flush();
    expect(log.waitForRoom()).toBeUndefined();
    expect(api.batches.flat()).toHaveLength(2500);
  });
});

import { MASK, Masker } from '../masking/masker';
import type { Match } from '../masking/find-matches';
import { JobLog } from './job-log';
import { MemoryLogSink, type LogEntry, type LogSink } from './log-sink';

const SECRET = 'job-log-secret-value';

/** A masker whose search breaks once `armed`: stands for any bug in the masking code. */
class BreakingMasker extends Masker {
  armed = false;
  override matches(text: string): Match[] {
    if (this.armed) throw new RangeError(`broken while masking ${text}`);
    return super.matches(text);
  }
}

/** A sink that throws on the line holding `poison`, as a storing sink with a bug might. */
class ThrowingSink implements LogSink {
  readonly entries: LogEntry[] = [];
  write(entry: LogEntry): void {
    if (entry.text.includes('poison')) throw new Error('the sink broke');
    this.entries.push(entry);
  }
}

describe('JobLog', () => {
  it('stops the log, never throwing, when masking fails, and lets no unmasked text out', () => {
    const masker = new BreakingMasker();
    masker.register(SECRET);
    const sink = new MemoryLogSink();
    const log = new JobLog('build', masker, sink);
    log.output('stdout').write(`first ${SECRET}\n`);
    masker.armed = true;
    expect(() => log.output('stdout').write(Buffer.from(`second ${SECRET}\n`))).not.toThrow();
    expect(() => log.system(`third ${SECRET}`)).not.toThrow();
    expect(() => log.close()).not.toThrow();
    const texts = sink.linesOf('build');
    expect(texts.join('\n')).not.toContain(SECRET);
    expect(texts.join('\n')).not.toContain('second');
    expect(texts[texts.length - 1]).toMatch(
      /^Gibbon could not mask or store a line of the log of build \(RangeError; details withheld/,
    );
    expect(masker.failure).toMatch(/dropped the rest of that log/);
  });

  it('stops the log when its sink throws, and records it for the build', () => {
    const masker = new Masker();
    const sink = new ThrowingSink();
    const log = new JobLog('deploy', masker, sink);
    log.posted(['one', 'poison pill', 'three']);
    log.system('four');
    expect(sink.entries.map((entry) => entry.text)).toEqual([
      'one',
      expect.stringMatching(/^Gibbon could not mask or store a line of the log of deploy/),
    ]);
    expect(masker.failure).toMatch(/log of deploy/);
  });

  it('masks a secret that the SDK cut across two posted lines of the longest length', () => {
    const masker = new Masker();
    const secret = 'long-secret-'.repeat(6000).slice(0, 65_536);
    masker.register(secret);
    const sink = new MemoryLogSink();
    const log = new JobLog('act', masker, sink);
    const line = `key: ${secret} end`;
    // As BatchedJobLog posts it: pieces of 65,536 characters, here in two batches.
    log.posted([line.slice(0, 65_536)]);
    log.posted([line.slice(65_536), 'next line']);
    log.system('done');
    expect(sink.linesOf('act')).toEqual([`key: ${MASK} end`, 'next line', 'done']);
  });

  it('keeps a log up to its limit, says where it was cut, and drops the rest', () => {
    const sink = new MemoryLogSink();
    // 2 MiB, and lines of 1,000 bytes each with their newline.
    const log = new JobLog('noisy', new Masker(), sink, 2 * 1024 * 1024);
    const line = (n: number) => `line ${String(n).padStart(4, '0')} ${'x'.repeat(989)}`;
    const out = log.output('stdout');
    for (let n = 0; n < 3000; n++) out.write(`${line(n)}\n`);
    log.system('after the cut');
    log.close();
    const entries = sink.entries.filter((entry) => entry.jobId === 'noisy');
    const kept = Math.floor((2 * 1024 * 1024) / 1000);
    expect(entries.slice(0, kept).map((entry) => entry.text)).toEqual(
      Array.from({ length: kept }, (_, n) => line(n)),
    );
    expect(entries.slice(kept)).toEqual([
      expect.objectContaining({
        stream: 'system',
        text: "Gibbon kept the first 2 MiB of this log and dropped the rest (the runner's GIBBON_JOB_LOG_LIMIT_MB); the job itself went on.",
      }),
    ]);
    expect(log.truncated).toBe(true);
  });

  it('is not truncated below its limit', () => {
    const sink = new MemoryLogSink();
    const log = new JobLog('quiet', new Masker(), sink, 1024);
    log.posted(['short']);
    log.close();
    expect(sink.linesOf('quiet')).toEqual(['short']);
    expect(log.truncated).toBe(false);
  });
});

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
});

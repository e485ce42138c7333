import type { RunnerEvent } from '@gibbon/contracts';
import { EventReporter } from './event-reporter';

function reporterInto(delivered: string[]): EventReporter {
  return new EventReporter({
    api: {
      postEvent: (event: RunnerEvent) => {
        delivered.push(event.type === 'job.ended' ? `ended ${event.jobId}` : event.type);
        return Promise.resolve();
      },
    },
    backoff: { initialMs: 10, maxMs: 10 },
    stopSignal: new AbortController().signal,
    onLeaseLost: () => undefined,
    onRejected: () => undefined,
  });
}

const at = new Date().toISOString();

describe('EventReporter', () => {
  it('holds an event posted with `after` (and every later one) until `after` settles', async () => {
    const delivered: string[] = [];
    const reporter = reporterInto(delivered);
    let logStored!: () => void;
    const after = new Promise<void>((resolve) => (logStored = resolve));
    reporter.post({ type: 'job.ended', jobId: 'test', status: 'success', attempts: 1, at }, after);
    reporter.post({ type: 'job.started', jobId: 'next', attempt: 1, at });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(delivered).toEqual([]);
    logStored();
    await reporter.flush();
    expect(delivered).toEqual(['ended test', 'job.started']);
  });

  it('posts the event although `after` failed', async () => {
    const delivered: string[] = [];
    const reporter = reporterInto(delivered);
    reporter.post(
      { type: 'job.ended', jobId: 'test', status: 'failure', attempts: 1, at },
      Promise.reject(new Error('log shipping gave up')),
    );
    await reporter.flush();
    expect(delivered).toEqual(['ended test']);
  });
});

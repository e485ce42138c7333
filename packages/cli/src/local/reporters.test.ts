import { PassThrough } from 'node:stream';
import type { ScriptEvent } from '@gibbon/contracts';
import type { BuildOutcome } from '@gibbon/engine';
import { JsonReporter, PlainReporter, TtyReporter } from './reporters';

function capture(isTTY = false) {
  const stream = Object.assign(new PassThrough(), { isTTY, columns: 80 });
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { stream, text: () => text };
}

const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, seconds)).toISOString();
const events: ScriptEvent[] = [
  { type: 'job.pending', jobId: 'build', kind: 'container', dependsOn: [], at: at(0) },
  { type: 'job.queued', jobId: 'build', at: at(0) },
  { type: 'job.started', jobId: 'build', attempt: 1, at: at(1) },
  {
    type: 'job.ended',
    jobId: 'build',
    status: 'failure',
    attempts: 1,
    exitCode: 2,
    message: 'exit code 2',
    at: at(3),
  },
];
const outcome = { status: 'failure', jobs: [] } as BuildOutcome;
const line = {
  jobId: 'build',
  seq: 1,
  stream: 'stdout' as const,
  text: 'compiling',
  at: new Date(0),
};

describe('run reporters', () => {
  it('plain: a line per start and end, output prefixed, a summary', () => {
    const out = capture();
    const reporter = new PlainReporter(out.stream);
    events.slice(0, 3).forEach((event) => reporter.event(event));
    reporter.log(line);
    reporter.event(events[3]!);
    reporter.finish(outcome);
    expect(out.text().split('\n')).toEqual([
      expect.stringMatching(/^▸ build +running/),
      'build  | compiling',
      '✗ build   failure    2.0s  (exit code 2)',
      'Build failure',
      '',
    ]);
  });

  it('tty: redraws the job block in place below the output', () => {
    const out = capture(true);
    const reporter = new TtyReporter(out.stream);
    events.forEach((event) => reporter.event(event));
    reporter.log(line);
    reporter.finish(outcome);
    const text = out.text();
    // Each redraw after the first moves the cursor up over the one-line block and clears it.
    expect(text).toContain('\u001b[1F\u001b[0J');
    expect(text).toContain('build  │ compiling\n✗ build   failure    2.0s  (exit code 2)\n');
    expect(text.endsWith('Build failure\n')).toBe(true);
  });

  it('json: events, logs and the outcome as JSON lines', () => {
    const out = capture();
    const reporter = new JsonReporter(out.stream);
    reporter.event(events[0]!);
    reporter.log(line);
    reporter.finish(outcome);
    expect(
      out
        .text()
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as unknown),
    ).toEqual([
      events[0],
      {
        type: 'log',
        jobId: 'build',
        seq: 1,
        stream: 'stdout',
        text: 'compiling',
        at: '1970-01-01T00:00:00.000Z',
      },
      { type: 'build.ended', status: 'failure', jobs: [] },
    ]);
  });
});

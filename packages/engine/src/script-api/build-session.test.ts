import type { ScriptEvent } from '@gibbon/contracts';
import { testBuildContext } from '../../test/build-context';
import { MemoryLogSink } from '../logs/log-sink';
import { Masker } from '../masking/masker';
import { BuildSession } from './build-session';
import { StaticParamProvider } from './params';

const at = new Date().toISOString();

// A job whose log was cut at the runner's limit says so in its result, which the runner
// forwards (the event) and `gibbon run` prints (the record): the failure may be in what was cut.
describe('BuildSession with a job log limit', () => {
  function session(events: ScriptEvent[]): BuildSession {
    return new BuildSession({
      context: testBuildContext(),
      masker: new Masker(),
      params: new StaticParamProvider({}),
      logSink: new MemoryLogSink(),
      onEvent: (event) => events.push(event),
      jobLogLimitBytes: 100,
    });
  }

  it('adds the cut to the end of a job whose log passed the limit', () => {
    const events: ScriptEvent[] = [];
    const build = session(events);
    build.recordEvent({ type: 'job.pending', jobId: 'noisy', kind: 'action', dependsOn: [], at });
    build.appendLogs('noisy', ['x'.repeat(60), 'y'.repeat(60)]);
    build.recordEvent({
      type: 'job.ended',
      jobId: 'noisy',
      status: 'failure',
      attempts: 1,
      message: 'exit 3',
      at,
    });
    const cut = "exit 3 Its log was cut at the runner's limit (see the log's last line).";
    expect(events.at(-1)).toMatchObject({ type: 'job.ended', message: cut });
    expect(build.jobRecord('noisy')).toMatchObject({ status: 'failure', message: cut });
  });

  it('leaves the end of a job within the limit as the script reported it', () => {
    const events: ScriptEvent[] = [];
    const build = session(events);
    build.recordEvent({ type: 'job.pending', jobId: 'quiet', kind: 'action', dependsOn: [], at });
    build.appendLogs('quiet', ['short']);
    build.recordEvent({ type: 'job.ended', jobId: 'quiet', status: 'success', attempts: 1, at });
    expect(events.at(-1)).not.toHaveProperty('message');
    expect(build.jobRecord('quiet')).toEqual({ jobId: 'quiet', status: 'success', exitCode: null });
  });
});

import { testBuildContext } from '../../test/build-context';
import { MemoryLogSink } from '../logs/log-sink';
import { Masker } from '../masking/masker';
import { BuildSession } from '../script-api/build-session';
import { StaticParamProvider } from '../script-api/params';
import { buildVerdict } from './build-status';

function session(masker = new Masker()): BuildSession {
  return new BuildSession({
    context: testBuildContext(),
    masker,
    params: new StaticParamProvider({}),
    logSink: new MemoryLogSink(),
  });
}

const exited = { exitCode: 0, signal: null, aborted: false };
const at = new Date().toISOString();

describe('buildVerdict', () => {
  it('is the script’s own verdict when every log of the build was written', () => {
    const build = session();
    build.recordEvent({ type: 'script.ended', status: 'success', at });
    expect(buildVerdict(build, exited, undefined)).toEqual({ status: 'success' });
  });

  it('is error, with the log failure’s message, when a log of the build failed', () => {
    const masker = new Masker();
    const build = session(masker);
    build.recordEvent({ type: 'script.ended', status: 'success', at });
    masker.recordFailure('Gibbon could not mask or store a line of the log of test.');
    expect(buildVerdict(build, exited, undefined)).toEqual({
      status: 'error',
      message: 'Gibbon could not mask or store a line of the log of test.',
    });
  });
});

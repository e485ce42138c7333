import { NotFoundError, type ScriptEvent } from '@gibbon/contracts';
import { testBuildContext } from '../../test/build-context';
import { MemoryLogSink } from '../logs/log-sink';
import { Masker } from '../masking/masker';
import { ApprovalBoard } from './approvals';
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

// The decision on a job marked approval comes from the approval source (the runner's from
// public-api); the script only asks, and only for a job it reported waiting.
describe('BuildSession approvals', () => {
  const never = new AbortController().signal;
  function session(board?: ApprovalBoard, masker = new Masker()) {
    const sink = new MemoryLogSink();
    const build = new BuildSession({
      context: testBuildContext(),
      masker,
      params: new StaticParamProvider({}),
      logSink: sink,
      ...(board ? { approvals: board } : {}),
    });
    build.recordEvent({
      type: 'job.pending',
      jobId: 'deploy',
      kind: 'container',
      dependsOn: [],
      at,
    });
    return { build, sink };
  }
  const decision = { decision: 'approved', by: 'ops', at, comment: 'go' } as const;

  it('refuses to answer for a job that did not report job.waiting', async () => {
    const { build } = session(new ApprovalBoard());
    await expect(build.awaitApproval('deploy', 0, never)).rejects.toThrow(
      'Job deploy is not waiting for approval (it is pending); report job.waiting first.',
    );
    await expect(build.awaitApproval('other', 0, never)).rejects.toThrow(NotFoundError);
  });

  it('says why where nothing can approve', async () => {
    const { build } = session();
    build.recordEvent({ type: 'job.waiting', jobId: 'deploy', at });
    await expect(build.awaitApproval('deploy', 0, never)).rejects.toThrow(
      /Nothing in this run can approve jobs/,
    );
  });

  it('answers pending when no decision came in time, then the decision once made', async () => {
    const board = new ApprovalBoard();
    const { build, sink } = session(board);
    build.recordEvent({ type: 'job.waiting', jobId: 'deploy', at });
    expect(build.jobRecord('deploy')?.status).toBe('waiting');
    expect(await build.awaitApproval('deploy', 0.05, never)).toEqual({ decision: 'pending' });
    const asked = build.awaitApproval('deploy', 10, never);
    board.record('deploy', decision);
    board.record('deploy', { ...decision, decision: 'rejected' }); // the first decision stands
    expect(await asked).toEqual(decision);
    expect(await build.awaitApproval('deploy', 0, never)).toEqual(decision);
    build.closeLogs();
    expect(sink.linesOf('deploy')).toEqual([`Approved by ops at ${at}: go`]);
  });

  it('masks a registered secret in who decided and why', async () => {
    const masker = new Masker();
    masker.register('hunter2-secret');
    const board = new ApprovalBoard();
    board.record('deploy', { ...decision, comment: 'token hunter2-secret is fine' });
    const { build } = session(board, masker);
    build.recordEvent({ type: 'job.waiting', jobId: 'deploy', at });
    expect((await build.awaitApproval('deploy', 0, never)).comment).toBe('token *** is fine');
  });
});

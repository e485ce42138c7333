import {
  BUILD_STATUSES,
  JOB_STATUSES,
  isBuildStatus,
  isJobStatus,
  isTerminalBuildStatus,
  isTerminalJobStatus,
} from './statuses';

describe('statuses', () => {
  it('lists the statuses of spec section 2 in order', () => {
    expect(BUILD_STATUSES).toEqual([
      'queued',
      'running',
      'success',
      'failure',
      'error',
      'canceled',
      'timed_out',
    ]);
    expect(JOB_STATUSES).toEqual([
      'pending',
      'waiting',
      'queued',
      'running',
      'success',
      'failure',
      'error',
      'skipped',
      'canceled',
      'timed_out',
    ]);
  });

  it('tells finished builds from unfinished ones', () => {
    expect(BUILD_STATUSES.filter((status) => !isTerminalBuildStatus(status))).toEqual([
      'queued',
      'running',
    ]);
  });

  it('tells finished jobs from unfinished ones; a skipped job is finished', () => {
    expect(JOB_STATUSES.filter((status) => !isTerminalJobStatus(status))).toEqual([
      'pending',
      'waiting',
      'queued',
      'running',
    ]);
    expect(isTerminalJobStatus('skipped')).toBe(true);
  });

  it('recognises status strings from outside', () => {
    expect(isBuildStatus('timed_out')).toBe(true);
    expect(isBuildStatus('skipped')).toBe(false);
    expect(isBuildStatus(undefined)).toBe(false);
    expect(isJobStatus('skipped')).toBe(true);
    expect(isJobStatus('RUNNING')).toBe(false);
  });
});

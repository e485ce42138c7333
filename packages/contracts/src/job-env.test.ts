import { jobEnvOf, pullRequestOfRef } from './job-env';

describe('jobEnvOf', () => {
  it("is the build's env with the job's id", () => {
    const context = { env: { CI: 'true', GIBBON_BUILD_NUMBER: '42' } };
    expect(jobEnvOf(context, 'test')).toEqual({
      CI: 'true',
      GIBBON_BUILD_NUMBER: '42',
      GIBBON_JOB_ID: 'test',
    });
    expect(context.env).toEqual({ CI: 'true', GIBBON_BUILD_NUMBER: '42' });
  });
});

describe('pullRequestOfRef', () => {
  it('finds the number of a pull request ref only', () => {
    expect(pullRequestOfRef('refs/pull/7/head')).toBe('7');
    expect(pullRequestOfRef('refs/pull/123/merge')).toBe('123');
    expect(pullRequestOfRef('refs/heads/pull/7/x')).toBeUndefined();
    expect(pullRequestOfRef('refs/tags/v1')).toBeUndefined();
  });
});

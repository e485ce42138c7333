import { standardJobEnv } from './job-env';

type Context = Parameters<typeof standardJobEnv>[0];

const context: Context = {
  build: { id: 'bld_1', number: 42 },
  repo: { org: 'acme', name: 'web' },
  git: { ref: 'refs/heads/main', branch: 'main', tag: null, commit: 'a'.repeat(40) },
};

describe('standardJobEnv', () => {
  it('names the build, repository, job and commit of a branch build', () => {
    expect(standardJobEnv(context, 'test')).toEqual({
      CI: 'true',
      GIBBON: 'true',
      GIBBON_BUILD_ID: 'bld_1',
      GIBBON_BUILD_NUMBER: '42',
      GIBBON_REPO: 'acme/web',
      GIBBON_JOB_ID: 'test',
      GIBBON_COMMIT: 'a'.repeat(40),
      GIBBON_BRANCH: 'main',
    });
  });

  it('gives a tag build its tag and a pull request its number, leaving out what does not apply', () => {
    const tag: Context = {
      ...context,
      git: { ref: 'refs/tags/v1.2.0', branch: null, tag: 'v1.2.0', commit: 'b'.repeat(40) },
    };
    expect(standardJobEnv(tag, 'release')).toMatchObject({ GIBBON_TAG: 'v1.2.0' });
    expect(standardJobEnv(tag, 'release')).not.toHaveProperty('GIBBON_BRANCH');
    expect(standardJobEnv(tag, 'release')).toMatchObject({ GIBBON_COMMIT: 'b'.repeat(40) });
    const pull: Context = {
      ...context,
      git: { ...context.git, ref: 'refs/pull/7/head', branch: null },
    };
    expect(standardJobEnv(pull, 'test')).toMatchObject({ GIBBON_PULL_REQUEST: '7' });
    expect(standardJobEnv(context, 'test')).not.toHaveProperty('GIBBON_PULL_REQUEST');
  });
});

import { claimFixture } from '../../test/claim-fixture';
import { buildContextOf } from './build-context';

const checkedOut = {
  commit: 'c'.repeat(40),
  message: 'Fix the thing',
  author: { name: 'Ann', email: 'ann@example.test' },
  changedFiles: ['src/a.ts'],
};

// The build's variables every job sees (with its GIBBON_JOB_ID): facts, never a secret.
describe('buildContextOf', () => {
  it('gives a branch build CI=true and its facts', () => {
    const context = buildContextOf(claimFixture({ id: 'bld_9', number: 9 }), checkedOut);
    expect(context.env).toEqual({
      CI: 'true',
      GIBBON: 'true',
      GIBBON_BUILD_ID: 'bld_9',
      GIBBON_BUILD_NUMBER: '9',
      GIBBON_ORG: 'acme',
      GIBBON_REPO: 'app',
      GIBBON_COMMIT: 'c'.repeat(40),
      GIBBON_REF: 'refs/heads/main',
      GIBBON_BRANCH: 'main',
    });
  });

  it("gives a pull request's build its number", () => {
    const claim = claimFixture();
    const pull = {
      ...claim,
      build: { ...claim.build, git: { ...claim.build.git, ref: 'refs/pull/7/head', branch: null } },
    };
    const { env } = buildContextOf(pull, checkedOut);
    expect(env).toMatchObject({ GIBBON_PULL_REQUEST: '7', GIBBON_REF: 'refs/pull/7/head' });
    expect(env).not.toHaveProperty('GIBBON_BRANCH');
  });

  it('hands the script the inputs the build was triggered with, and none when it has none', () => {
    const claim = claimFixture();
    const given = { ...claim, build: { ...claim.build, inputs: { target: 'staging', n: 2 } } };
    expect(buildContextOf(given, checkedOut).inputs).toEqual({ target: 'staging', n: 2 });
    expect(buildContextOf(claim, checkedOut)).not.toHaveProperty('inputs');
  });

  it('names the jobs a re-run of failed jobs reuses, and their build', () => {
    const claim = claimFixture({ number: 5 });
    const rerun = { ...claim, build: { ...claim.build, retryOf: 4, reusedJobs: ['lint'] } };
    expect(buildContextOf(rerun, checkedOut).build.reuse).toEqual({
      fromBuild: 4,
      jobs: ['lint'],
      artifactsFrom: [4],
    });
    // A re-run of a re-run: the artifacts of a job reused twice are two builds back.
    const chained = { ...rerun, reusedFrom: [4, 2] };
    expect(buildContextOf(chained, checkedOut).build.reuse?.artifactsFrom).toEqual([4, 2]);
    expect(buildContextOf(claim, checkedOut).build).not.toHaveProperty('reuse');
  });
});

// Pipeline tests: `gibbon test` runs them with jest, no Docker and no server needed.
import { resolveJobs, runPipeline } from '@gibbon/sdk/testing';
import * as build from './build.js';

const token = 'npm_test_token_123';

describe('the node-library pipeline', () => {
  it('installs, then lints and tests in parallel, then builds the dist artifact', async () => {
    const jobs = await resolveJobs(build, { branch: 'feature/faster' });
    expect(jobs.ids).toEqual(['install', 'lint', 'test', 'build']);
    expect(jobs.dependsOn('lint')).toEqual(['install']);
    expect(jobs.dependsOn('test')).toEqual(['install']);
    expect(jobs.job('build')).toMatchObject({
      image: 'node:20',
      script: ['node tools/build.mjs'],
      dependsOn: ['lint', 'test'],
      saveArtifacts: [{ id: 'dist', path: 'dist' }],
    });
    expect(jobs.job('install')).toMatchObject({
      caches: [{ id: 'npm', path: '.npm', key: ['package-lock.json'] }],
    });
  });

  it('takes the image from the build env', async () => {
    const jobs = await resolveJobs(build, { env: { NODE_IMAGE: 'node:22-alpine' } });
    expect(jobs.describe().map((job) => job.kind === 'container' && job.image)).toEqual([
      'node:22-alpine',
      'node:22-alpine',
      'node:22-alpine',
      'node:22-alpine',
      false,
    ]);
  });

  it('on main, releases with NPM_TOKEN after the build, once approved', async () => {
    const run = await runPipeline(build, {
      params: { NPM_TOKEN: token },
      approvals: { release: 'approve' },
    });
    expect(run.status).toBe('success');
    expect(run.started.at(-1)).toBe('release');
    const release = run.job('release');
    expect(release.paramsRead).toEqual(['NPM_TOKEN']);
    expect(release.commands).toEqual([
      { argv: ['node', 'tools/publish.mjs'], env: { NPM_TOKEN: token } },
    ]);
  });

  it('on main, does not release when the release is rejected', async () => {
    const run = await runPipeline(build, {
      params: { NPM_TOKEN: token },
      approvals: { release: 'reject' },
    });
    expect(run.status).toBe('success');
    expect(run.statuses).toMatchObject({ build: 'success', release: 'skipped' });
    expect(run.job('release').paramsRead).toEqual([]);
  });

  it('on a feature branch, has no release and reads no token', async () => {
    const run = await runPipeline(build, {
      params: { NPM_TOKEN: token },
      context: { branch: 'feature/faster' },
    });
    expect(run.status).toBe('success');
    expect(run.ids).not.toContain('release');
    expect(run.jobs.flatMap((job) => job.paramsRead)).toEqual([]);
  });

  it('does not release when the tests fail', async () => {
    const run = await runPipeline(build, {
      params: { NPM_TOKEN: token },
      containerResults: { test: { status: 'failure', exitCode: 1, output: ['1 test failed'] } },
    });
    expect(run.status).toBe('failure');
    expect(run.statuses).toMatchObject({ test: 'failure', build: 'skipped', release: 'skipped' });
    expect(run.job('test').log).toEqual(['1 test failed']);
  });

  it('fails the release, with a clear message, when no NPM_TOKEN is set', async () => {
    const run = await runPipeline(build, { approvals: { release: 'approve' } });
    expect(run.job('release')).toMatchObject({ status: 'failure' });
    // job.param fails the job, saying where the parameter must come from.
    expect(run.job('release').message).toMatch(
      /^job\.param\("NPM_TOKEN"\): no parameter set .* holds NPM_TOKEN/,
    );
  });
});

import { action, container } from '../jobs';
import * as releaseScript from '../../test/pipelines/release-pipeline';
import { runPipeline } from './run-pipeline';

const token = 'npm_secret_token_42';

describe('runPipeline', () => {
  it('on main runs every job; the release reads NPM_TOKEN and publishes with it, masked', async () => {
    const run = await runPipeline(releaseScript, { params: { NPM_TOKEN: token } });
    expect(run.status).toBe('success');
    expect(run.statuses).toEqual({
      install: 'success',
      lint: 'success',
      test: 'success',
      build: 'success',
      release: 'success',
    });
    expect(run.started[0]).toBe('install');
    expect(run.started.slice(1, 3).sort()).toEqual(['lint', 'test']);
    expect(run.started.slice(3)).toEqual(['build', 'release']);
    const release = run.job('release');
    expect(release.paramsRead).toEqual(['NPM_TOKEN']);
    expect(release.commands).toEqual([
      { argv: ['npm', 'publish', 'dist'], env: { NPM_TOKEN: token } },
    ]);
    expect(release.log).toEqual(['publishing with token ***', '$ npm publish dist']);
    expect(run.job('test').containerRuns).toEqual([
      {
        jobId: 'test',
        attempt: 1,
        image: 'node:20',
        command: ['npm', 'test'],
        env: { NODE_ENV: 'test' },
      },
    ]);
  });

  it('on a feature branch has no release job and reads no token', async () => {
    const run = await runPipeline(releaseScript, {
      params: { NPM_TOKEN: token },
      context: { branch: 'feature/faster' },
    });
    expect(run.status).toBe('success');
    expect(run.ids).not.toContain('release');
    expect(run.jobs.flatMap((job) => job.paramsRead)).toEqual([]);
    expect(() => run.job('release')).toThrow(/No job "release" in this run/);
  });

  it('skips what depends on a failed container job and fails the build', async () => {
    const run = await runPipeline(releaseScript, {
      params: { NPM_TOKEN: token },
      containerResults: {
        lint: { status: 'failure', exitCode: 2, output: ['src/a.js: 1 problem'] },
      },
    });
    expect(run.status).toBe('failure');
    expect(run.statuses).toMatchObject({ lint: 'failure', build: 'skipped', release: 'skipped' });
    expect(run.job('lint')).toMatchObject({ exitCode: 2, log: ['src/a.js: 1 problem'] });
    expect(run.job('release').message).toBe('Its dependency "build" ended skipped.');
  });

  it('answers each attempt of a retried job in turn', async () => {
    const run = await runPipeline(releaseScript, {
      params: { NPM_TOKEN: token },
      containerResults: { test: [{ status: 'failure' }, { status: 'success' }] },
    });
    expect(run.job('test')).toMatchObject({ status: 'success', attempts: 2 });
    expect(run.job('test').containerRuns.map((attempt) => attempt.attempt)).toEqual([1, 2]);
  });

  it('gives an untrusted build no parameters, so the release fails', async () => {
    const run = await runPipeline(releaseScript, {
      params: { NPM_TOKEN: token },
      context: { trusted: false },
    });
    expect(run.job('release')).toMatchObject({ status: 'failure' });
    expect(run.job('release').message).toContain(
      'job.param("NPM_TOKEN"): this build is untrusted (a pull request from a fork), and untrusted builds see no parameters.',
    );
  });

  it('fails the action when a faked command exits non-zero', async () => {
    const run = await runPipeline(releaseScript, {
      params: { NPM_TOKEN: token },
      shResults: { 'npm publish dist': { exitCode: 1, output: ['403 Forbidden'] } },
    });
    expect(run.job('release')).toMatchObject({
      status: 'failure',
      exitCode: 1,
      message: 'npm exited with code 1.',
    });
    expect(run.job('release').log).toContain('403 Forbidden');
    expect(run.status).toBe('failure');
  });

  it('passes artifacts from a container job to an action, and can really run commands', async () => {
    const script = [
      container('build', {
        image: 'node:20',
        script: ['npm run build'],
        saveArtifacts: [{ id: 'dist', path: 'dist' }],
      }),
      action(
        'check',
        async (job) => {
          await job.restoreArtifact('dist', 'out');
          await job.sh(['cat', 'out/lib/index.js']);
          await job.saveArtifact('checked', 'out');
        },
        { dependsOn: ['build'] },
      ),
    ];
    const run = await runPipeline(script, {
      artifacts: { dist: { 'lib/index.js': 'export const answer = 42;' } },
      runCommands: true,
    });
    expect(run.job('check')).toMatchObject({ status: 'success' });
    expect(run.job('check').log).toEqual(['$ cat out/lib/index.js', 'export const answer = 42;']);
    const missing = await runPipeline(script, {
      containerResults: { build: { status: 'error', message: 'image not found' } },
    });
    expect(missing.statuses).toEqual({ build: 'error', check: 'skipped' });
    expect(missing.status).toBe('error');
  });

  it("sends console output inside an action to the job's log and gives the console back", async () => {
    const before = console.log;
    const run = await runPipeline([action('hello', () => console.log('hi', { from: 'action' }))]);
    expect(run.job('hello').log).toEqual(["hi { from: 'action' }"]);
    expect(console.log).toBe(before);
  });

  it('masks values an action registers with job.mask()', async () => {
    const run = await runPipeline([
      action('mint', async (job) => {
        await job.mask('minted-secret');
        job.log('got minted-secret, ok');
      }),
    ]);
    expect(run.job('mint').log).toEqual(['got ***, ok']);
  });

  it('cancels the build when its signal aborts', async () => {
    const controller = new AbortController();
    const hang = action(
      'wait',
      (job) =>
        new Promise<void>((resolve) => job.signal.addEventListener('abort', () => resolve())),
    );
    setTimeout(() => controller.abort(), 20);
    const run = await runPipeline([hang], { signal: controller.signal });
    expect(run).toMatchObject({ status: 'canceled', statuses: { wait: 'canceled' } });
  });

  it('runs an approval job approved in the approvals option and rejects one not in it', async () => {
    const jobs = [
      container('deploy', { image: 'alpine:3', command: ['deploy'], approval: true }),
      container('promote', { image: 'alpine:3', command: ['promote'], approval: true }),
    ];
    const run = await runPipeline(jobs, { approvals: { deploy: 'approve' } });
    expect(run.statuses).toEqual({ deploy: 'success', promote: 'skipped' });
    expect(run.job('promote').message).toMatch(
      /^Rejected by runPipeline at .*: no decision for it in the approvals option$/,
    );
  });

  it('runs and reports the jobs an action adds while the build runs', async () => {
    const jobs = [
      action('fan-out', (job) =>
        job.addJobs([
          container('deploy-eu', { image: 'alpine:3', command: ['deploy'] }),
          action('note', (inner) => inner.log('noted')),
        ]),
      ),
    ];
    const run = await runPipeline(jobs);
    expect(run.statuses).toEqual({ 'fan-out': 'success', 'deploy-eu': 'success', note: 'success' });
    expect(run.job('deploy-eu').containerRuns).toHaveLength(1);
    expect(run.job('note')).toMatchObject({ kind: 'action', log: ['noted'] });
  });
});

import { UnprocessableError } from '../contracts';
import { action, container, type PipelineDefinition } from '../jobs';
import { pipeline } from '../pipeline';
import * as releaseScript from '../../test/pipelines/release-pipeline';
import { DEFAULT_TEST_COMMIT } from './context';
import { resolveJobs } from './resolve-jobs';

/** The assertions a user writes about the release pipeline; reused to show they can fail. */
async function expectReleaseOnlyOnMain(script: unknown): Promise<void> {
  const onMain = await resolveJobs(script);
  expect(onMain.ids).toEqual(['install', 'lint', 'test', 'build', 'release']);
  expect(onMain.dependsOn('release')).toEqual(['build']);
  const onFeature = await resolveJobs(script, { branch: 'feature/faster' });
  expect(onFeature.has('release')).toBe(false);
}

describe('resolveJobs', () => {
  it('resolves for a push of a fake commit to main by default', async () => {
    const resolved = await resolveJobs(releaseScript);
    expect(resolved.ctx.git).toMatchObject({
      branch: 'main',
      tag: null,
      ref: 'refs/heads/main',
      commit: DEFAULT_TEST_COMMIT,
      changedFiles: [],
    });
    expect(resolved.ctx.build.trusted).toBe(true);
  });

  it('has the release job on main only', async () => {
    await expectReleaseOnlyOnMain(releaseScript);
    const tagged = await resolveJobs(releaseScript, { tag: 'v1.0.0' });
    expect(tagged.ctx.git).toMatchObject({ branch: null, tag: 'v1.0.0', ref: 'refs/tags/v1.0.0' });
    expect(tagged.has('release')).toBe(false);
  });

  it('fails the same assertions once the pipeline releases from every branch', async () => {
    const releaseEverywhere = pipeline(async () => [
      ...(await resolveJobs(releaseScript)).jobs.filter((job) => job.id !== 'release'),
      action('release', () => undefined, { dependsOn: ['build'] }),
    ]);
    await expect(expectReleaseOnlyOnMain(releaseEverywhere)).rejects.toThrow(/toBe/);
  });

  it('describes what a container job would run, as plain data', async () => {
    const resolved = await resolveJobs(releaseScript, { env: { NODE_IMAGE: 'node:22' } });
    expect(resolved.job('install')).toEqual({
      kind: 'container',
      id: 'install',
      image: 'node:22',
      script: ['npm ci --cache .npm'],
      env: {},
      dependsOn: [],
      retries: 0,
      saveArtifacts: [],
      restoreArtifacts: [],
      caches: [{ id: 'npm', path: '.npm', key: ['package-lock.json'] }],
    });
    expect(resolved.job('test')).toMatchObject({
      command: ['npm', 'test'],
      env: { NODE_ENV: 'test' },
      dependsOn: ['install'],
      retries: 1,
    });
    expect(resolved.job('release')).toEqual({
      kind: 'action',
      id: 'release',
      dependsOn: ['build'],
      retries: 0,
    });
  });

  it('names the jobs that exist when asked for one that does not', async () => {
    const resolved = await resolveJobs(releaseScript, { branch: 'dev' });
    expect(() => resolved.job('release')).toThrow(
      'No job "release" for this context; its jobs are: install, lint, test, build.',
    );
  });

  it('resolves jobs generated from the changed files', async () => {
    const monorepo: PipelineDefinition = (ctx) =>
      [...new Set(ctx.git.changedFiles.map((file) => file.split('/')[1]))].map((name) =>
        container(`test-${name}`, { image: 'node:20', script: [`npm test -w ${name}`] }),
      );
    const resolved = await resolveJobs(monorepo, {
      changedFiles: ['packages/web/a.ts', 'packages/api/b.ts', 'packages/web/c.ts'],
    });
    expect(resolved.ids).toEqual(['test-web', 'test-api']);
    expect(resolved.describe().map((job) => job.kind === 'container' && job.script)).toEqual([
      ['npm test -w web'],
      ['npm test -w api'],
    ]);
  });

  it("gives each job's when() answer for the context", async () => {
    const jobs = [
      container('deploy', {
        image: 'alpine:3',
        command: ['true'],
        when: (ctx) => ctx.git.tag !== null,
      }),
    ];
    expect((await resolveJobs(jobs, { tag: 'v2' })).job('deploy').when).toBe(true);
    expect((await resolveJobs(jobs)).job('deploy').when).toBe(false);
  });

  it('narrows to GIBBON_ONLY_JOBS and their dependencies, like gibbon run --job', async () => {
    const resolved = await resolveJobs(releaseScript, { env: { GIBBON_ONLY_JOBS: 'lint' } });
    expect(resolved.ids).toEqual(['install', 'lint']);
  });

  it('refuses what the runner refuses: no default export, a cycle', async () => {
    await expect(resolveJobs({ __esModule: true })).rejects.toThrow(/no default export/);
    const cyclic = [
      container('a', { image: 'x', command: ['true'], dependsOn: ['b'] }),
      container('b', { image: 'x', command: ['true'], dependsOn: ['a'] }),
    ];
    const resolving = resolveJobs(cyclic);
    await expect(resolving).rejects.toThrow(UnprocessableError);
    await expect(resolving).rejects.toThrow('cycle: a → b → a');
  });
});

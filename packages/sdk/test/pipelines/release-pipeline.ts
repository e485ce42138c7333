/**
 * A build script as a user writes it, for the tests of `@gibbon/sdk/testing`: install, lint
 * and test in parallel, build an artifact, and a release action only on the main branch that
 * reads NPM_TOKEN, restores the artifact and publishes.
 * It prints the token on purpose: the run must mask it.
 */
import { action, container, pipeline } from '../../src';

export default pipeline((ctx) => {
  const image = ctx.env.NODE_IMAGE ?? 'node:20';
  return [
    container('install', {
      image,
      script: ['npm ci --cache .npm'],
      caches: [{ id: 'npm', path: '.npm', key: ['package-lock.json'] }],
    }),
    container('lint', { image, script: ['npm run lint'], dependsOn: ['install'] }),
    container('test', {
      image,
      command: ['npm', 'test'],
      env: { NODE_ENV: 'test' },
      dependsOn: ['install'],
      retries: 1,
    }),
    container('build', {
      image,
      script: ['npm run build'],
      dependsOn: ['lint', 'test'],
      saveArtifacts: [{ id: 'dist', path: 'dist' }],
    }),
    ctx.git.branch === ctx.repo.mainBranch &&
      action(
        'release',
        async (job) => {
          const token = await job.param('NPM_TOKEN');
          await job.restoreArtifact('dist', 'dist');
          console.log(`publishing with token ${token}`);
          await job.sh(['npm', 'publish', 'dist'], { env: { NPM_TOKEN: token } });
        },
        { dependsOn: ['build'] },
      ),
  ];
});

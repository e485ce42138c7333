import { action, container, pipeline } from '@gibbon/sdk';

/**
 * A Node library: install with a cache, lint and test in parallel, build an artifact, and
 * publish it only from the main branch, once a person approved the release (`gibbon approve`,
 * or the build page's Approve button; `gibbon run --approve release` locally). The image is
 * `node:20` unless the build's env says otherwise (`gibbon run --env NODE_IMAGE=...`).
 */
export default pipeline((ctx) => {
  const image = ctx.env.NODE_IMAGE ?? 'node:20';
  return [
    container('install', {
      image,
      script: [
        'mkdir -p .npm node_modules',
        // The library has no dependencies, so an image without npm has nothing to install.
        'if command -v npm >/dev/null; then npm ci --cache .npm --prefer-offline; else echo "no npm in the image: nothing to install"; fi',
      ],
      caches: [{ id: 'npm', path: '.npm', key: ['package-lock.json'] }],
    }),
    container('lint', {
      image,
      script: ['node tools/lint.mjs src test'],
      dependsOn: ['install'],
    }),
    container('test', { image, script: ['node --test test/'], dependsOn: ['install'] }),
    container('build', {
      image,
      script: ['node tools/build.mjs'],
      dependsOn: ['lint', 'test'],
      saveArtifacts: [{ id: 'dist', path: 'dist' }],
    }),
    ctx.git.branch === ctx.repo.mainBranch &&
      action(
        'release',
        async (job) => {
          const token = await job.param('NPM_TOKEN');
          await job.restoreArtifact('dist', 'dist');
          await job.sh(['node', 'tools/publish.mjs'], { env: { NPM_TOKEN: token } });
        },
        { dependsOn: ['build'], approval: true },
      ),
  ];
});

import { container, pipeline } from '@gibbon/sdk';

export default pipeline(async (ctx) => {
  const image = ctx.env.TEST_IMAGE ?? 'missing';
  await Promise.resolve();
  const targets = ['linux', 'darwin'].map((os) =>
    container(`build-${os}`, {
      image,
      script: [`echo building ${ctx.repo.name} for ${os}`],
      network: 'none',
    }),
  );
  return [
    ...targets,
    ctx.git.branch === ctx.repo.mainBranch &&
      container('release', {
        image,
        script: [`echo releasing ${ctx.git.commit.slice(0, 7)}`],
        dependsOn: targets.map((job) => job.id),
        network: 'none',
      }),
    ctx.git.branch === 'never-this-branch' &&
      container('skipped-by-context', { image, script: ['true'] }),
  ];
});

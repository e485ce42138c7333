import { action, container, pipeline } from '@gibbon/sdk';

// A rejected release: `deploy` never runs (no container), nor does what depends on it; the
// build still passes, since its checks did.
export default pipeline((ctx) => {
  const image = ctx.env.TEST_IMAGE ?? 'missing';
  return [
    container('test', { image, script: ['echo tested'], network: 'none' }),
    container('deploy', {
      image,
      script: ['echo "this must not run"'],
      dependsOn: ['test'],
      approval: true,
      network: 'none',
    }),
    action('announce', (job) => job.log('announced'), { dependsOn: ['deploy'] }),
  ];
});

import { container, pipeline } from '@gibbon/sdk';

// A release that waits for a person: `deploy` runs only once someone approved it, after
// `build` succeeded; `build` does not wait for it.
export default pipeline((ctx) => {
  const image = ctx.env.TEST_IMAGE ?? 'missing';
  return [
    container('build', { image, script: ['echo built'], network: 'none' }),
    container('deploy', {
      image,
      script: ['echo "deploying $GIBBON_COMMIT"', 'echo deployed'],
      dependsOn: ['build'],
      approval: true,
      network: 'none',
    }),
  ];
});

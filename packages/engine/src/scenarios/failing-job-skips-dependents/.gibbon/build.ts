import { container, pipeline } from '@gibbon/sdk';

export default pipeline((ctx) => {
  const image = ctx.env.TEST_IMAGE ?? 'missing';
  return [
    container('broken', {
      image,
      script: ['echo before', 'exit 3', 'echo after'],
      network: 'none',
    }),
    container('after-broken', {
      image,
      script: ['echo never'],
      dependsOn: ['broken'],
      network: 'none',
    }),
    container('independent', { image, script: ['echo fine'], network: 'none' }),
  ];
});

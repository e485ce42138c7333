import { container, pipeline } from '@gibbon/sdk';

export default pipeline((ctx) => {
  const image = ctx.env.TEST_IMAGE ?? 'missing';
  return [
    container('first', { image, script: ['echo first ran'], dependsOn: ['second'] }),
    container('second', { image, script: ['echo second ran'], dependsOn: ['first'] }),
  ];
});

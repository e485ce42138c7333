import { container, pipeline } from '@gibbon/sdk';

export default pipeline((ctx) => [
  container('long', {
    image: ctx.env.TEST_IMAGE ?? 'missing',
    script: ['echo waiting for cancel', 'sleep 30', 'echo not canceled'],
    network: 'none',
  }),
]);

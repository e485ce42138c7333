import { container, pipeline } from '@gibbon/sdk';

export default pipeline((ctx) => [
  container('slow', {
    image: ctx.env.TEST_IMAGE ?? 'missing',
    script: ['echo sleeping', 'sleep 30'],
    timeout: 1,
    network: 'none',
  }),
]);

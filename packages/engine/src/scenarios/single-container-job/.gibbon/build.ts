import { container, pipeline } from '@gibbon/sdk';

export default pipeline((ctx) => [
  container('hello', {
    image: ctx.env.TEST_IMAGE ?? 'missing',
    script: ['echo "hello from $GREETING"', 'node --version > /dev/null'],
    env: { GREETING: 'gibbon' },
    network: 'none',
  }),
]);

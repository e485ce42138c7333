import { container, pipeline } from '@gibbon/sdk';

export default pipeline((ctx) => [
  container('lonely', {
    image: ctx.env.TEST_IMAGE ?? 'missing',
    script: ['echo lonely ran'],
    dependsOn: ['ghost'],
  }),
]);

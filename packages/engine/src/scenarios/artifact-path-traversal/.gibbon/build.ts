import { container, pipeline } from '@gibbon/sdk';

export default pipeline((ctx) => [
  container('escape', {
    image: ctx.env.TEST_IMAGE ?? 'missing',
    script: ['echo escape ran'],
    saveArtifacts: [{ id: 'etc', path: '../../etc' }],
    network: 'none',
  }),
]);

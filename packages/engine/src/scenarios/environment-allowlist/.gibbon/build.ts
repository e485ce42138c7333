import { action, pipeline } from '@gibbon/sdk';

export default pipeline(() => [
  action('inspect', (job) => {
    job.log(`env names ${Object.keys(process.env).sort().join(',')}`);
    job.log(`RUNNER_SECRET ${process.env.GIBBON_TEST_RUNNER_SECRET ?? 'not visible'}`);
  }),
]);

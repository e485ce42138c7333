import { action, pipeline } from '@gibbon/sdk';

export default pipeline(() => [
  action('forever', async (job) => {
    job.log('started waiting');
    await new Promise((resolve) => setTimeout(resolve, 60_000));
    job.log('finished waiting');
  }),
]);

import { action, pipeline } from '@gibbon/sdk';

// An action that throws a secret it fetched: the job's message, its events and its log must
// show `***` (the engine masks what it receives from the script), never the value.
export default pipeline(() => [
  action('deploy', async (job) => {
    const key = await job.param('DEPLOY_KEY');
    job.log('calling the deploy service');
    throw new Error(`the deploy service refused key ${key}`);
  }),
]);

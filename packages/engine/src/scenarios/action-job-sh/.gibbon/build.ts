import { action, pipeline } from '@gibbon/sdk';

export default pipeline(() => [
  action('act', async (job) => {
    job.log('action says hi');
    await job.sh(['sh', '-c', 'echo "from sh in $(basename "$PWD")"; echo err-line >&2']);
  }),
]);

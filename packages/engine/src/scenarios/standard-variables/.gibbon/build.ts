import { action, container, pipeline } from '@gibbon/sdk';

// Every job sees the build's variables (the context's env) and its own id; a job's own env may
// set one differently.
export default pipeline((ctx) => [
  container('in-container', {
    image: ctx.env.TEST_IMAGE ?? 'missing',
    script: ['echo "ci=$CI job=$GIBBON_JOB_ID"', 'echo "tag=$GIBBON_TAG"'],
    // A branch build has no GIBBON_TAG; the job sets one of its own.
    env: { GIBBON_TAG: 'set-by-the-job' },
    network: 'none',
  }),
  action('in-action', async (job) => {
    await job.sh(['sh', '-c', 'echo "ci=$CI job=$GIBBON_JOB_ID"']);
    await job.sh(['sh', '-c', 'echo "ci=$CI"'], { env: { CI: 'overridden' } });
  }),
]);

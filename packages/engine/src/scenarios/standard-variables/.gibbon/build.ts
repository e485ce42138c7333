import { action, container, pipeline } from '@gibbon/sdk';

// Every job sees CI=true and the build's facts; a job's own env may set one differently.
export default pipeline((ctx) => [
  container('in-container', {
    image: ctx.env.TEST_IMAGE ?? 'missing',
    script: [
      'echo "ci=$CI gibbon=$GIBBON job=$GIBBON_JOB_ID repo=$GIBBON_REPO build=$GIBBON_BUILD_NUMBER"',
      'echo "branch=$GIBBON_BRANCH commit=$GIBBON_COMMIT pr=${GIBBON_PULL_REQUEST:-none}"',
      'echo "tag=$GIBBON_TAG"',
    ],
    // A branch build has no GIBBON_TAG; the job sets one of its own.
    env: { GIBBON_TAG: 'set-by-the-job' },
    network: 'none',
  }),
  action('in-action', async (job) => {
    await job.sh(['sh', '-c', 'echo "ci=$CI job=$GIBBON_JOB_ID build=$GIBBON_BUILD_ID"']);
    await job.sh(['sh', '-c', 'echo "ci=$CI"'], { env: { CI: 'overridden' } });
  }),
]);

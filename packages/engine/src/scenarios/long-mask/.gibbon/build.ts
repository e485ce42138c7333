import { action, container, pipeline } from '@gibbon/sdk';

// A mask of 65,536 characters (the longest the Script API takes) once made the runner's masker
// build a regular expression V8 refused, inside the script's output handler: the runner died.
// The value is printed every way a long secret reaches a log: an action's log line (longer
// than a posted line, so the SDK cuts it), the script's own stdout (pipe chunks cut it), and a
// container's output.
const SECRET = 'gibbon-long-mask-'.repeat(4000).slice(0, 65_536);

export default pipeline((ctx) => [
  action('register', async (job) => {
    await job.mask(SECRET);
    job.log(`action line ${SECRET} end`);
    process.stdout.write(`script stdout ${SECRET}${SECRET} end\n`);
    job.log('registered');
  }),
  container('print', {
    image: ctx.env.TEST_IMAGE ?? 'missing',
    env: { LONG_VALUE: SECRET },
    script: ['printf "container %s end\\n" "$LONG_VALUE"', 'echo printed'],
    network: 'none',
    dependsOn: ['register'],
  }),
]);

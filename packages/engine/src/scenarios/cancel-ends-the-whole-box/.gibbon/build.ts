import { action, pipeline } from '@gibbon/sdk';

// job.sh starts a shell that ignores SIGTERM and a grandchild that leaves the process group
// and session with setsid (and ignores SIGTERM too). Cancel must end all of them: the
// harness checks that no process still works in the checkout once the build has ended.
export default pipeline(() => [
  action('stubborn', async (job) => {
    await job.sh([
      'sh',
      '-c',
      'trap "" TERM; setsid sh -c \'trap "" TERM; while true; do sleep 1; done\' & nohup sleep 600 >/dev/null 2>&1 & echo "children started"; while true; do sleep 1; done',
    ]);
  }),
]);

import { readFileSync, writeFileSync } from 'node:fs';
import { action, pipeline } from '@gibbon/sdk';

// Run with a script user (the runner is root): the script is that user, with no other group,
// can't read what only the runner may, and owns its checkout.
export default pipeline((ctx) => [
  action('whoami', async (job) => {
    const groups = process.getgroups?.().join(',');
    job.log(`uid ${process.getuid?.()} gid ${process.getgid?.()} groups ${groups}`);
    try {
      readFileSync(ctx.env.RUNNER_FILE ?? '', 'utf8');
      job.log('runner file: readable');
    } catch (error) {
      job.log(`runner file: ${(error as NodeJS.ErrnoException).code}`);
    }
    writeFileSync('written-by-the-script.txt', 'the checkout is mine\n');
    await job.sh(['sh', '-c', 'echo "sh as $(id -u)"; cat written-by-the-script.txt']);
  }),
]);

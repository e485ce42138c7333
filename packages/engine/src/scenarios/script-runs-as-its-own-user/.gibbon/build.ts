import { readFileSync, writeFileSync } from 'node:fs';
import { action, container, pipeline } from '@gibbon/sdk';

// Run with a script user (the runner is root): the script is that user, with no other group,
// can't read what only the runner may, owns its checkout, and can't become root again through
// a set-uid file that a container job (root in its container) planted in the checkout.
export default pipeline((ctx) => [
  container('plant', {
    image: ctx.env.TEST_IMAGE ?? 'missing',
    script: ['cp "$(command -v node)" suid-node', 'chmod u+s suid-node'],
    network: 'none',
  }),
  action(
    'whoami',
    async (job) => {
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
      await job.sh(['./suid-node', '-e', 'console.log("set-uid file runs as", process.geteuid())']);
    },
    { dependsOn: ['plant'] },
  ),
]);

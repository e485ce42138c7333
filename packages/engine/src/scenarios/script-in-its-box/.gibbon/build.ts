import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { action, container, pipeline } from '@gibbon/sdk';

/** What reading `path` gives: its content's first characters, or the error code. */
function attempt(path: string): string {
  try {
    return `read ${readFileSync(path, 'utf8').slice(0, 20)}`;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? 'failed';
  }
}

/** Whether any process this script can see is not of its own box (the test runner, jest). */
function outsideProcesses(): string[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map((pid) => attempt(`/proc/${pid}/cmdline`))
    .filter((cmdline) => /jest|build-runner|public-api/.test(cmdline));
}

// The box of a root runner: the script is a uid of the build's own, sees its checkout, HOME,
// an empty /tmp and its own processes only, can't reach the runner's files or the Docker
// socket, and a set-uid file a container job (root in its container) planted does not run as
// root. job.sh runs in the same box.
export default pipeline((ctx) => [
  container('plant', {
    image: ctx.env.TEST_IMAGE ?? 'missing',
    script: ['cp "$(command -v node)" suid-node', 'chmod u+s suid-node'],
    network: 'none',
  }),
  action(
    'inspect',
    async (job) => {
      const uid = process.getuid?.() ?? -1;
      job.log(`uid ${uid >= 200000 && uid <= 265535 ? 'of the build' : uid}`);
      job.log(
        `groups ${process.getgroups?.().join(',') === String(process.getgid?.()) ? 'own only' : 'more'}`,
      );
      job.log(`runner file: ${attempt(ctx.env.RUNNER_FILE ?? '')}`);
      job.log(
        `runner file by relative path: ${attempt(`../${basename(ctx.env.RUNNER_FILE ?? '')}`)}`,
      );
      job.log(
        `docker socket: ${existsSync('/var/run/docker.sock') || existsSync('/run/docker.sock') ? 'present' : 'absent'}`,
      );
      // Only the way to the build's own folders, where they lie under /tmp (as in tests).
      const ownPaths = [process.cwd(), process.env.HOME ?? ''];
      const strangers = readdirSync('/tmp').filter(
        (entry) => !ownPaths.some((path) => path.startsWith(`/tmp/${entry}/`)),
      );
      job.log(`tmp at start: ${strangers.length} other entries`);
      job.log(`processes outside the box: ${outsideProcesses().length}`);
      job.log(
        `pid 1 environ has the runner's secret: ${attempt('/proc/1/environ').includes('runner-secret') ? 'yes' : 'no'}`,
      );
      job.log(`shadow: ${attempt('/etc/shadow')}`);
      writeFileSync('written-by-the-script.txt', 'the checkout is mine\n');
      writeFileSync(`${process.env.HOME}/note`, 'home is mine\n');
      await job.sh(['sh', '-c', 'cat written-by-the-script.txt "$HOME/note"']);
      await job.sh(
        [
          'sh',
          '-c',
          'ls /proc | grep -c "^[0-9]" >/dev/null && echo "sh sees its box"; test -e "$RUNNER_FILE" || echo "sh: runner file absent"',
        ],
        {
          env: { RUNNER_FILE: ctx.env.RUNNER_FILE ?? '' },
        },
      );
      await job.sh([
        './suid-node',
        '-e',
        'console.log("set-uid file runs as root:", process.geteuid() === 0)',
      ]);
    },
    { dependsOn: ['plant'] },
  ),
]);

import { container, pipeline } from '@gibbon/sdk';

// A job with a service: started first, health-checked, reached by its id as hostname on the
// port it listens on, its output a section of the job's log, removed with the job. A service
// that never gets healthy, or is gone before the job starts, fails its job, saying which.
const server =
  "require('net').createServer((s) => s.on('error', () => {}).end('pong\\n')).listen(6379, () => console.log('listening on 6379'))";
const probe =
  "require('net').connect(6379, 'cache').on('connect', () => process.exit(0)).on('error', () => process.exit(1))";

export default pipeline((ctx) => {
  const image = ctx.env.TEST_IMAGE ?? 'missing';
  return [
    container('uses-cache', {
      image,
      script: ['echo "cache says $(nc cache 6379 </dev/null)"', 'grep -c cache /etc/hosts'],
      services: [
        {
          id: 'cache',
          image,
          command: ['node', '-e', server],
          env: { SERVICE_MODE: 'test' },
          healthcheck: { command: ['node', '-e', probe], intervalSeconds: 0.2 },
        },
      ],
    }),
    container('gone', {
      image,
      script: ['echo "this must not run either"'],
      services: [{ id: 'quitter', image, command: ['sh', '-c', 'echo bye; exit 0'] }],
    }),
    container('broken', {
      image,
      script: ['echo "this must not run"'],
      services: [
        {
          id: 'db',
          image,
          command: ['sleep', '60'],
          healthcheck: { command: ['false'], intervalSeconds: 0.5, timeoutSeconds: 2 },
        },
      ],
    }),
  ];
});

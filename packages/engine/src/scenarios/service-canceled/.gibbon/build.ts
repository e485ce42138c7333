import { container, pipeline } from '@gibbon/sdk';

// A build canceled while a job with a service runs: the job and its service are stopped and
// removed (the harness checks no container of the run is left).
export default pipeline((ctx) => {
  const image = ctx.env.TEST_IMAGE ?? 'missing';
  return [
    container('long', {
      image,
      script: ['echo "job started"', 'sleep 30'],
      services: [{ id: 'side', image, command: ['sleep', '60'] }],
    }),
  ];
});

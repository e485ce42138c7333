import { action, container, output, pipeline } from '@gibbon/sdk';

// A matrix known only at run time: `plan` (a container) writes its targets as an output, and
// `fan-out` adds one deploy job per target, each given the version `plan` set.
export default pipeline((ctx) => {
  const image = ctx.env.TEST_IMAGE ?? 'missing';
  return [
    container('plan', {
      image,
      script: ['echo "targets=eu,us" >> "$GIBBON_OUTPUT"', 'echo "version=7" >> "$GIBBON_OUTPUT"'],
      network: 'none',
    }),
    action(
      'fan-out',
      (job) => {
        const targets = job.outputs('plan').targets?.split(',') ?? [];
        job.log(`adding ${targets.length} deploy jobs`);
        job.addJobs(
          targets.map((target) =>
            container(`deploy-${target}`, {
              image,
              env: { TARGET: target, VERSION: output('plan', 'version') },
              script: ['echo "deploying version $VERSION to $TARGET"'],
              dependsOn: ['plan'],
              network: 'none',
            }),
          ),
        );
      },
      { dependsOn: ['plan'] },
    ),
  ];
});

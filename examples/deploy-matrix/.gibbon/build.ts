import { action, container, output, pipeline } from '@gibbon/sdk';

/**
 * A deploy whose regions are known only once the build runs: `plan` reads them from the
 * repository (deploy/regions.txt) and sets them as an output with the version; `fan-out`
 * adds one deploy job per region, each given the version through `output()`. The image is
 * `node:20` unless the build's env says otherwise (`gibbon run --env NODE_IMAGE=...`).
 */
export default pipeline((ctx) => {
  const image = ctx.env.NODE_IMAGE ?? 'node:20';
  return [
    container('plan', {
      image,
      script: [
        'echo "regions=$(paste -sd, deploy/regions.txt)" >> "$GIBBON_OUTPUT"',
        'echo "version=1.4.$GIBBON_BUILD_NUMBER" >> "$GIBBON_OUTPUT"',
      ],
    }),
    action(
      'fan-out',
      (job) => {
        const regions = (job.outputs('plan').regions ?? '').split(',').filter(Boolean);
        job.log(`deploying to ${regions.join(', ')}`);
        job.addJobs(
          regions.map((region) =>
            container(`deploy-${region}`, {
              image,
              env: { VERSION: output('plan', 'version') },
              command: ['sh', 'deploy/deploy.sh', region],
              dependsOn: ['plan'],
            }),
          ),
        );
      },
      { dependsOn: ['plan'] },
    ),
  ];
});

import { action, container, output, pipeline } from '@gibbon/sdk';

// Outputs: a container writes name=value lines to $GIBBON_OUTPUT; a later container gets one in
// its env, an action reads them; a link in place of the file is not followed.
export default pipeline((ctx) => {
  const image = ctx.env.TEST_IMAGE ?? 'missing';
  return [
    container('build', {
      image,
      script: [
        'echo "version=1.2.3" >> "$GIBBON_OUTPUT"',
        'echo "# a comment" >> "$GIBBON_OUTPUT"',
        'echo "not a line" >> "$GIBBON_OUTPUT"',
      ],
      network: 'none',
    }),
    container('ship', {
      image,
      env: { VERSION: output('build', 'version') },
      script: ['echo "shipping $VERSION"'],
      dependsOn: ['build'],
      network: 'none',
    }),
    action('report', (job) => job.log(`reported version ${job.outputs('build').version}`), {
      dependsOn: ['build'],
    }),
    container('sneaky', {
      image,
      script: ['ln -s /etc/hostname "$GIBBON_OUTPUT"'],
      network: 'none',
    }),
  ];
});

import { container, pipeline } from '@gibbon/sdk';

export default pipeline((ctx) => {
  const image = ctx.env.TEST_IMAGE ?? 'missing';
  return [
    container('produce', {
      image,
      // A hidden file saved with it: the job's log says so (artifacts are not masked).
      script: ['mkdir -p dist', 'echo "built artifact" > dist/out.txt', 'echo A=1 > dist/.env'],
      saveArtifacts: [{ id: 'dist', path: 'dist' }],
      network: 'none',
    }),
    container('consume', {
      image,
      // The checkout is shared here, so the restore goes to a fresh folder to prove the copy.
      script: ['cat restored/out.txt'],
      restoreArtifacts: [{ id: 'dist', path: 'restored' }],
      dependsOn: ['produce'],
      network: 'none',
    }),
  ];
});

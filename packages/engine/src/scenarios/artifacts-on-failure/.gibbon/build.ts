import { container, pipeline } from '@gibbon/sdk';

// A failing test job keeps its report (`when: 'always'`) but not its build output (saved on
// success only); a report folder the job never made is said, not another failure.
export default pipeline((ctx) => [
  container('test', {
    image: ctx.env.TEST_IMAGE ?? 'missing',
    script: ['mkdir -p report out', 'echo "1 failed" > report/summary.txt', 'exit 3'],
    saveArtifacts: [
      { id: 'report', path: 'report', when: 'always' },
      { id: 'out', path: 'out' },
      { id: 'screens', path: 'screens', when: 'always' },
    ],
    network: 'none',
  }),
]);

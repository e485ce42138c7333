import { container, pipeline } from '@gibbon/sdk';

// The main branch writes cache `deps`; a feature branch's build restores it (it has none of
// its own yet), then saves its own, which main never reads.
export default pipeline((ctx) => [
  container('warm', {
    image: ctx.env.TEST_IMAGE ?? 'missing',
    script: [
      'if [ -f deps/marker ]; then echo "cache hit: $(cat deps/marker)"; else echo "cache miss"; fi',
      'mkdir -p deps && echo "from $BRANCH" > deps/marker',
    ],
    env: { BRANCH: ctx.git.branch ?? 'no branch' },
    caches: [{ id: 'deps', path: 'deps', key: ['lockfile.txt'] }],
    network: 'none',
  }),
]);

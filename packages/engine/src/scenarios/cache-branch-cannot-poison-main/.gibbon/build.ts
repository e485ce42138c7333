import { container, pipeline } from '@gibbon/sdk';

// A feature branch writes cache `deps`; the main branch's next build must not restore it
// (a branch cannot poison what main restores), and writes its own.
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

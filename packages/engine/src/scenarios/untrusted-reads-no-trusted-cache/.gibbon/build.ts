import { container, pipeline } from '@gibbon/sdk';

// Run 1 is a trusted build of the main branch: it writes a cache holding what it installed
// (here a stand-in for a token an install step left behind). Run 2 is a fork's pull request
// with the same cache id and key: it must not get that cache.
export default pipeline((ctx) => [
  container('install', {
    image: ctx.env.TEST_IMAGE ?? 'missing',
    script: [
      'if [ -f deps/token ]; then echo "found: $(cat deps/token)"; else echo "no cache here"; fi',
      'mkdir -p deps && echo "trusted-build-token-$GIBBON_TEST_BUILD" > deps/token',
    ],
    env: { GIBBON_TEST_BUILD: String(ctx.build.number) },
    caches: [{ id: 'deps', path: 'deps' }],
    network: 'none',
  }),
]);

import { container, pipeline } from '@gibbon/sdk';

// Each build's lockfile differs (keys/1.txt, keys/2.txt), so the second build has no cache of
// its exact key; its restore key `deps-` finds the first build's cache instead.
export default pipeline((ctx) => [
  container('warm', {
    image: ctx.env.TEST_IMAGE ?? 'missing',
    script: [
      'if [ -f deps/marker ]; then echo "cache hit: $(cat deps/marker)"; else echo "cache miss"; fi',
      'mkdir -p deps && echo "from build $BUILD" > deps/marker',
    ],
    env: { BUILD: String(ctx.build.number) },
    caches: [
      { id: 'deps', path: 'deps', key: [`keys/${ctx.build.number}.txt`], restoreKeys: ['deps-'] },
    ],
    network: 'none',
  }),
]);

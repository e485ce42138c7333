import { container, pipeline } from '@gibbon/sdk';

export default pipeline((ctx) => [
  container('warm', {
    image: ctx.env.TEST_IMAGE ?? 'missing',
    script: [
      'if [ -f deps/marker ]; then echo "cache hit: $(cat deps/marker)"; else echo "cache miss"; fi',
      'mkdir -p deps && echo "from build $GIBBON_TEST_BUILD" > deps/marker',
    ],
    env: { GIBBON_TEST_BUILD: String(ctx.build.number) },
    caches: [{ id: 'deps', path: 'deps', key: ['lockfile.txt'] }],
    network: 'none',
  }),
]);

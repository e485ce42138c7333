import { container, pipeline, secret } from '@gibbon/sdk';

// A secret in a container's environment: fetched by the engine, masked in the log.
export default pipeline((ctx) => [
  container('publish', {
    image: ctx.env.TEST_IMAGE ?? 'missing',
    script: ['echo "token=$NPM_TOKEN"', 'test -n "$NPM_TOKEN" && echo "the token is set"'],
    env: { NPM_TOKEN: secret('NPM_TOKEN'), REGISTRY: 'registry.example.test' },
    network: 'none',
  }),
]);

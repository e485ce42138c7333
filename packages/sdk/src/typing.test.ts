/**
 * The types a user's editor sees: the spec's example script must type-check, and common
 * mistakes must not (each `@ts-expect-error` fails the typecheck if the line became valid).
 */
import { testContext } from '../test/context';
import {
  action,
  container,
  pipeline,
  resolvePipeline,
  type BuildContext,
  type JobApi,
} from './index';

const specExample = pipeline((ctx) => [
  container('install', {
    image: 'node:20',
    script: ['npm ci'],
    caches: [{ id: 'npm', path: '.npm' }],
  }),
  container('test', {
    image: 'node:20',
    script: ['npm test'],
    dependsOn: ['install'],
    saveArtifacts: [{ id: 'coverage', path: 'coverage' }],
  }),
  ctx.git.branch === ctx.repo.mainBranch &&
    action(
      'release',
      async (job: JobApi) => {
        // The README's headline example, as written there: param() answers a string.
        await job.sh(['npm', 'publish'], { env: { NPM_TOKEN: await job.param('NPM_TOKEN') } });
        const region: string | undefined = await job.param('REGION', { optional: true });
        job.log(region ?? 'no region');
      },
      { dependsOn: ['test'] },
    ),
]);

function mistakes(ctx: BuildContext): void {
  // @ts-expect-error script and command together
  container('a', { image: 'x', script: ['a'], command: ['b'] });
  // @ts-expect-error neither script nor command
  container('a', { image: 'x' });
  // @ts-expect-error a shell string where argv lines are expected
  container('a', { image: 'x', command: 'npm test' });
  // @ts-expect-error only 'none' may be asked for
  container('a', { image: 'x', command: ['b'], network: 'bridge' });
  // @ts-expect-error an unknown field
  container('a', { image: 'x', command: ['b'], depends: ['c'] });
  // @ts-expect-error sh takes argv, never a shell string
  action('a', (job) => job.sh('npm publish'));
  // @ts-expect-error an optional parameter may be undefined: not a string
  action('a', async (job) => job.log((await job.param('A', { optional: true })).length));
  // @ts-expect-error the context is read-only
  ctx.git.branch = 'main';
  // @ts-expect-error when gets the context and returns a boolean
  action('a', () => undefined, { when: () => 'yes' });
}

describe('exported types', () => {
  it('resolve the spec example on the main branch and off it', async () => {
    expect((await resolvePipeline(specExample, testContext())).map((job) => job.id)).toEqual([
      'install',
      'test',
      'release',
    ]);
    const onBranch = testContext({ branch: 'feature/x', ref: 'refs/heads/feature/x' });
    expect(await resolvePipeline(specExample, onBranch)).toHaveLength(2);
    expect(typeof mistakes).toBe('function');
  });
});

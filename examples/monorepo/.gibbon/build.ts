import { container, pipeline } from '@gibbon/sdk';

/** The packages of this repository: a folder under packages/ each. */
const packages = ['api', 'web'];

/**
 * A monorepo: one test job per package that changed (in the commit, or uncommitted when run
 * locally), and a summary job after them. A change outside packages/ tests everything.
 */
export default pipeline((ctx) => {
  const image = ctx.env.NODE_IMAGE ?? 'node:20';
  const changed = ctx.git.changedFiles;
  const touchesShared = changed.some((file) => !file.startsWith('packages/'));
  const affected = packages.filter(
    (name) => touchesShared || changed.some((file) => file.startsWith(`packages/${name}/`)),
  );
  const tests = affected.map((name) =>
    container(`test-${name}`, {
      image,
      workDir: `packages/${name}`,
      script: [`node --test test/`],
    }),
  );
  return [
    ...tests,
    tests.length > 0 &&
      container('summary', {
        image,
        script: [`echo "tested: ${affected.join(' ')}"`],
        dependsOn: tests.map((job) => job.id),
      }),
  ];
});

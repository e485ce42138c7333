import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { waitForEnd } from './harness';
import { startProjectStack, type ProjectStack } from './harness/project-stack';
import { withServiceLogs } from './harness/with-logs';

// A signed `pull_request` delivery reaches public-api; a runner process checks the head out
// and the script sees the pull request and the files it changes since the merge base.
jest.setTimeout(120_000);

const run = promisify(execFile);
let started: ProjectStack;

beforeAll(async () => {
  started = await startProjectStack();
  await started.stack.addRunner('main');
}, 120_000);

afterAll(async () => {
  await started?.close();
});

/** Prints the context's pull request and changed files; `src` runs only when src/ changed. */
const contextScript = `import { action, pipeline } from '@gibbon/sdk';

export default pipeline(() => [
  action('facts', async (job) => {
    job.log('pr ' + JSON.stringify(job.ctx.git.pullRequest));
    job.log('changed ' + JSON.stringify([...job.ctx.git.changedFiles].sort()));
  }),
  action('src', async (job) => job.log('src changed'), {
    when: (ctx) => ctx.git.changedFiles.some((file) => file.startsWith('src/')),
  }),
  action('docs', async (job) => job.log('docs changed'), {
    when: (ctx) => ctx.git.changedFiles.some((file) => file.startsWith('docs/')),
  }),
]);
`;

describe('pull_request webhook → build with the pull request in its context', () => {
  it('carries number, title and branches, and the files changed since the merge base', async () => {
    await withServiceLogs(
      () => started.stack.logs(),
      async () => {
        const { project } = started;
        const forked = await project.git.commit(
          { '.gibbon/build.ts': contextScript },
          { message: 'ci: pipeline', branch: 'main' },
        );
        await run('git', ['--git-dir', project.git.directory, 'branch', 'feature', forked]);
        // Two commits on the head branch: both count, not only the last.
        await project.git.commit({ 'src/a.txt': 'a\n' }, { message: 'a', branch: 'feature' });
        const head = await project.git.commit(
          { 'lib/b.txt': 'b\n' },
          { message: 'b', branch: 'feature' },
        );
        // Merged into the base since the branch was made: not a change of the pull request.
        await project.git.commit({ 'docs/c.md': 'c\n' }, { message: 'c', branch: 'main' });

        const delivered = await project.deliverPullRequest(7, head, {
          headBranch: 'feature',
          baseBranch: 'main',
          title: 'Add a and b',
        });
        expect(delivered.status).toBe(200);
        const pullRequest = {
          number: 7,
          title: 'Add a and b',
          baseBranch: 'main',
          headBranch: 'feature',
          headRepo: 'acme-gh/web',
          fork: false,
        };
        expect(delivered.body.build).toMatchObject({
          source: 'pull_request',
          git: { ref: 'refs/pull/7/head', pullRequest },
        });
        const build = await waitForEnd(project, delivered.body.build!.number);

        expect(build.status).toBe('success');
        expect(build.git.pullRequest).toEqual(pullRequest);
        expect([...build.git.changedFiles].sort()).toEqual(['lib/b.txt', 'src/a.txt']);
        const facts = await project.jobLog(build.number, 'facts');
        const printed = /^pr (.*)$/m.exec(facts)?.[1];
        expect(JSON.parse(printed ?? 'null')).toEqual(pullRequest);
        expect(facts).toContain('changed ["lib/b.txt","src/a.txt"]\n');
        const jobs = Object.fromEntries(build.jobs.map((job) => [job.id, job.status]));
        expect(jobs).toMatchObject({ facts: 'success', src: 'success', docs: 'skipped' });
      },
    );
  });
});

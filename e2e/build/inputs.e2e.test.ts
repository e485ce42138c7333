import type { Build } from '@gibbon/contracts';
import { waitForEnd } from './harness';
import { startProjectStack, type ProjectStack } from './harness/project-stack';
import { withServiceLogs } from './harness/with-logs';

// A build triggered through the API with inputs: a runner process runs the pipeline, whose
// declared inputs are checked before any job runs and read by its jobs as `ctx.inputs`.
jest.setTimeout(120_000);

let started: ProjectStack;

beforeAll(async () => {
  started = await startProjectStack();
  await started.stack.addRunner('main');
  await started.project.git.commit(
    { '.gibbon/build.ts': deployScript },
    { message: 'ci: deploy pipeline', branch: 'main' },
  );
}, 120_000);

afterAll(async () => {
  await started?.close();
});

const deployScript = `import { action, pipeline } from '@gibbon/sdk';

export default pipeline(
  {
    inputs: {
      target: { type: 'choice', options: ['staging', 'production'], required: true },
      replicas: { type: 'number', default: 1 },
      dryRun: { type: 'boolean', default: false },
    },
  },
  (ctx) => [
    action('deploy', async (job) => {
      const { target, replicas, dryRun } = ctx.inputs;
      job.log('deploy ' + JSON.stringify({ target, replicas, dryRun }));
    }),
  ],
);
`;

const trigger = (inputs: Record<string, unknown>) =>
  started.project.api.ok<Build>('POST', `${started.project.repoPath}/builds`, {
    branch: 'main',
    inputs,
  });

describe('a manual build with inputs', () => {
  it('hands the checked, typed values to the jobs and shows them on the build', async () => {
    await withServiceLogs(
      () => started.stack.logs(),
      async () => {
        const queued = await trigger({ target: 'staging', replicas: '3' });
        expect(queued.inputs).toEqual({ target: 'staging', replicas: '3' });
        const build = await waitForEnd(started.project, queued.number);
        expect(build.status).toBe('success');
        const log = await started.project.jobLog(build.number, 'deploy');
        expect(log).toContain('deploy {"target":"staging","replicas":3,"dryRun":false}\n');
      },
    );
  });

  it('errors the build before any job runs when an input does not fit, naming it', async () => {
    await withServiceLogs(
      () => started.stack.logs(),
      async () => {
        const queued = await trigger({ target: 'qa' });
        const build = await waitForEnd(started.project, queued.number);
        expect(build.status).toBe('error');
        expect(build.message).toContain('input "target" must be one of "staging", "production"');
        expect(build.jobs).toEqual([]);
      },
    );
  });
});
